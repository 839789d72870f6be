"""The CTCAE v5.0 vocabulary the study codes adverse events with (pure data, no Django).

Terms of SPEC §5 (lab terms and the clinical events seen with sirolimus) with their system organ
class, MedDRA code where known (blank where not verified) and the CTCAE grade definitions shown
next to the grade choice. A grade a term does not define is not offered (e.g. Arthralgia has no
grade 4). Free-text "other" terms are allowed and stored as uncoded.
"""

from dataclasses import dataclass, field

CTCAE_VERSION = "5.0"

GENERIC_GRADES = {
    1: "Mild",
    2: "Moderate",
    3: "Severe or medically significant",
    4: "Life-threatening consequences; urgent intervention indicated",
    5: "Death related to AE",
}

SOC_INVESTIGATIONS = "Investigations"
SOC_METABOLISM = "Metabolism and nutrition disorders"
SOC_GI = "Gastrointestinal disorders"
SOC_SKIN = "Skin and subcutaneous tissue disorders"
SOC_INFECTIONS = "Infections and infestations"
SOC_MUSCULO = "Musculoskeletal and connective tissue disorders"
SOC_GENERAL = "General disorders and administration site conditions"
SOC_VASCULAR = "Vascular disorders"
SOC_RENAL = "Renal and urinary disorders"
SOC_BLOOD = "Blood and lymphatic system disorders"
SOC_NERVOUS = "Nervous system disorders"
SOC_RESPIRATORY = "Respiratory, thoracic and mediastinal disorders"

DEATH = "Death"


@dataclass(frozen=True)
class Term:
    name: str
    soc: str
    meddra: str  # MedDRA LLT code as used by CTCAE v5.0; "" where not verified
    grades: dict[int, str] = field(default_factory=dict)
    lab: bool = False  # graded from a lab value (safety/ctcae.py)

    @property
    def max_grade(self) -> int:
        return max(self.grades)


def _lab(name, meddra, g1, g2, g3, g4, soc=SOC_INVESTIGATIONS) -> Term:
    grades = {1: g1, 2: g2, 3: g3}
    if g4:
        grades[4] = g4
    return Term(name, soc, meddra, grades, lab=True)


_INFECTION = {
    2: "Moderate symptoms; oral intervention indicated (e.g. antibiotic, antifungal, antiviral)",
    3: "IV antibiotic, antifungal or antiviral intervention indicated; invasive intervention indicated",
    4: "Life-threatening consequences; urgent intervention indicated",
    5: DEATH,
}

TERMS: tuple[Term, ...] = (
    _lab("Alanine aminotransferase increased", "10001551",
         ">ULN–3.0×ULN if baseline normal; 1.5–3.0×baseline if baseline abnormal",
         ">3.0–5.0×ULN if baseline normal; >3.0–5.0×baseline if baseline abnormal",
         ">5.0–20.0×ULN if baseline normal; >5.0–20.0×baseline if baseline abnormal",
         ">20.0×ULN if baseline normal; >20.0×baseline if baseline abnormal"),
    _lab("Aspartate aminotransferase increased", "10003481",
         ">ULN–3.0×ULN if baseline normal; 1.5–3.0×baseline if baseline abnormal",
         ">3.0–5.0×ULN if baseline normal; >3.0–5.0×baseline if baseline abnormal",
         ">5.0–20.0×ULN if baseline normal; >5.0–20.0×baseline if baseline abnormal",
         ">20.0×ULN if baseline normal; >20.0×baseline if baseline abnormal"),
    _lab("Blood bilirubin increased", "10005364",
         ">ULN–1.5×ULN if baseline normal; >1.0–1.5×baseline if baseline abnormal",
         ">1.5–3.0×ULN if baseline normal; >1.5–3.0×baseline if baseline abnormal",
         ">3.0–10.0×ULN if baseline normal; >3.0–10.0×baseline if baseline abnormal",
         ">10.0×ULN if baseline normal; >10.0×baseline if baseline abnormal"),
    _lab("Alkaline phosphatase increased", "10001675",
         ">ULN–2.5×ULN if baseline normal; 2.0–2.5×baseline if baseline abnormal",
         ">2.5–5.0×ULN if baseline normal; >2.5–5.0×baseline if baseline abnormal",
         ">5.0–20.0×ULN if baseline normal; >5.0–20.0×baseline if baseline abnormal",
         ">20.0×ULN if baseline normal; >20.0×baseline if baseline abnormal"),
    _lab("GGT increased", "10017693",
         ">ULN–2.5×ULN if baseline normal; 2.0–2.5×baseline if baseline abnormal",
         ">2.5–5.0×ULN if baseline normal; >2.5–5.0×baseline if baseline abnormal",
         ">5.0–20.0×ULN if baseline normal; >5.0–20.0×baseline if baseline abnormal",
         ">20.0×ULN if baseline normal; >20.0×baseline if baseline abnormal"),
    _lab("Creatinine increased", "10011368",
         ">ULN–1.5×ULN", ">1.5–3.0×baseline; >1.5–3.0×ULN", ">3.0×baseline; >3.0–6.0×ULN", ">6.0×ULN"),
    _lab("Cholesterol high", "10008661",
         ">ULN–7.75 mmol/L (300 mg/dL)", ">7.75–10.34 mmol/L (300–400 mg/dL)",
         ">10.34–12.92 mmol/L (400–500 mg/dL)", ">12.92 mmol/L (500 mg/dL)", soc=SOC_METABOLISM),
    _lab("Hypertriglyceridemia", "10020869",
         "1.71–3.42 mmol/L (150–300 mg/dL)", ">3.42–5.7 mmol/L (300–500 mg/dL)",
         ">5.7–11.4 mmol/L (500–1000 mg/dL)", ">11.4 mmol/L (1000 mg/dL); life-threatening consequences",
         soc=SOC_METABOLISM),
    _lab("Neutrophil count decreased", "10029366",
         "<LLN–1.5×10⁹/L", "<1.5–1.0×10⁹/L", "<1.0–0.5×10⁹/L", "<0.5×10⁹/L"),
    _lab("White blood cell decreased", "10049182",
         "<LLN–3.0×10⁹/L", "<3.0–2.0×10⁹/L", "<2.0–1.0×10⁹/L", "<1.0×10⁹/L"),
    _lab("Anemia", "10002272",
         "Hb <LLN–100 g/L", "Hb <100–80 g/L", "Hb <80 g/L; transfusion indicated",
         "Life-threatening consequences; urgent intervention indicated", soc=SOC_BLOOD),
    Term("Rash acneiform", SOC_SKIN, "10037847", {
        1: "Papules and/or pustules covering <10% BSA, with or without pruritus or tenderness",
        2: "Papules and/or pustules covering 10–30% BSA; psychosocial impact; limiting instrumental ADL",
        3: "Papules and/or pustules covering >30% BSA; limiting self-care ADL; IV antibiotics indicated",
        4: "Life-threatening consequences; extensive superinfection with IV antibiotics indicated",
        5: DEATH}),
    Term("Rash maculo-papular", SOC_SKIN, "10037868", {
        1: "Macules/papules covering <10% BSA with or without symptoms",
        2: "Macules/papules covering 10–30% BSA; limiting instrumental ADL",
        3: "Macules/papules covering >30% BSA with moderate or severe symptoms; limiting self-care ADL"}),
    Term("Diarrhea", SOC_GI, "10012735", {
        1: "Increase of <4 stools per day over baseline",
        2: "Increase of 4–6 stools per day over baseline; limiting instrumental ADL",
        3: "Increase of ≥7 stools per day; hospitalization indicated; limiting self-care ADL",
        4: "Life-threatening consequences; urgent intervention indicated",
        5: DEATH}),
    Term("Mucositis oral", SOC_GI, "10028130", {
        1: "Asymptomatic or mild symptoms; intervention not indicated",
        2: "Moderate pain or ulcer that does not interfere with oral intake; modified diet indicated",
        3: "Severe pain; interfering with oral intake",
        4: "Life-threatening consequences; urgent intervention indicated",
        5: DEATH}),
    Term("Nausea", SOC_GI, "10028813", {
        1: "Loss of appetite without alteration in eating habits",
        2: "Oral intake decreased without significant weight loss, dehydration or malnutrition",
        3: "Inadequate oral caloric or fluid intake; tube feeding, TPN or hospitalization indicated"}),
    Term("Upper respiratory infection", SOC_INFECTIONS, "10046300",
         {1: "Mild symptoms; intervention not indicated", **_INFECTION}),
    Term("Lung infection", SOC_INFECTIONS, "", dict(_INFECTION)),
    Term("Urinary tract infection", SOC_INFECTIONS, "10046571", dict(_INFECTION)),
    Term("Arthralgia", SOC_MUSCULO, "10003239", {
        1: "Mild pain", 2: "Moderate pain; limiting instrumental ADL", 3: "Severe pain; limiting self-care ADL"}),
    Term("Edema limbs", SOC_GENERAL, "10050068", {
        1: "5–10% inter-limb discrepancy in volume or circumference at point of greatest visible difference",
        2: ">10–30% inter-limb discrepancy; readily apparent obscuration of anatomic architecture",
        3: ">30% inter-limb discrepancy; gross deviation from normal anatomic contour; limiting self-care ADL"}),
    Term("Fatigue", SOC_GENERAL, "10016256", {
        1: "Fatigue relieved by rest", 2: "Fatigue not relieved by rest; limiting instrumental ADL",
        3: "Fatigue not relieved by rest; limiting self-care ADL"}),
    Term("Headache", SOC_NERVOUS, "10019211", {
        1: "Mild pain", 2: "Moderate pain; limiting instrumental ADL", 3: "Severe pain; limiting self-care ADL"}),
    Term("Hypertension", SOC_VASCULAR, "10020772", {
        1: "Systolic BP 120–139 mm Hg or diastolic BP 80–89 mm Hg",
        2: "Systolic BP 140–159 mm Hg or diastolic BP 90–99 mm Hg; medical intervention indicated",
        3: "Systolic BP ≥160 mm Hg or diastolic BP ≥100 mm Hg; more than one drug indicated",
        4: "Life-threatening consequences (e.g. malignant hypertension, hypertensive crisis)",
        5: DEATH}),
    Term("Proteinuria", SOC_RENAL, "10037032", {
        1: "1+ proteinuria; urinary protein ≥ULN to <1.0 g/24 h",
        2: "2+ and 3+ proteinuria; urinary protein 1.0–<3.5 g/24 h",
        3: "Urinary protein ≥3.5 g/24 h; 4+ proteinuria"}),
    Term("Hyperglycemia", SOC_METABOLISM, "10020635", {
        1: "Abnormal glucose above baseline with no medical intervention",
        2: "Change in daily management of glucose; oral antiglycemic agent initiated",
        3: "Insulin therapy initiated; hospitalization indicated",
        4: "Life-threatening consequences; urgent intervention indicated",
        5: DEATH}),
    Term("Pneumonitis", SOC_RESPIRATORY, "10035742", {
        1: "Asymptomatic; clinical or diagnostic observations only",
        2: "Symptomatic; medical intervention indicated; limiting instrumental ADL",
        3: "Severe symptoms; limiting self-care ADL; oxygen indicated",
        4: "Life-threatening respiratory compromise; urgent intervention indicated",
        5: DEATH}),
)

# The established Chinese names of the terms (常见不良事件评价标准 CTCAE 5.0 中文版) and of their system organ
# classes (MedDRA 中文版): shown on Chinese pages; the English term and the MedDRA code stay what is stored and
# exported.
CHINESE_TERMS = {
    "Alanine aminotransferase increased": "丙氨酸氨基转移酶升高",
    "Aspartate aminotransferase increased": "天门冬氨酸氨基转移酶升高",
    "Blood bilirubin increased": "血胆红素升高",
    "Alkaline phosphatase increased": "碱性磷酸酶升高",
    "GGT increased": "γ-谷氨酰转移酶升高",
    "Creatinine increased": "肌酐升高",
    "Cholesterol high": "胆固醇升高",
    "Hypertriglyceridemia": "高甘油三酯血症",
    "Neutrophil count decreased": "中性粒细胞计数降低",
    "White blood cell decreased": "白细胞计数降低",
    "Anemia": "贫血",
    "Platelet count decreased": "血小板计数降低",
    "Rash acneiform": "痤疮样皮疹",
    "Rash maculo-papular": "斑丘疹",
    "Diarrhea": "腹泻",
    "Mucositis oral": "口腔黏膜炎",
    "Nausea": "恶心",
    "Upper respiratory infection": "上呼吸道感染",
    "Lung infection": "肺部感染",
    "Urinary tract infection": "尿路感染",
    "Arthralgia": "关节痛",
    "Edema limbs": "四肢水肿",
    "Fatigue": "疲乏",
    "Headache": "头痛",
    "Hypertension": "高血压",
    "Proteinuria": "蛋白尿",
    "Hyperglycemia": "高血糖",
    "Pneumonitis": "非感染性肺炎",
}
CHINESE_SOCS = {
    SOC_INVESTIGATIONS: "各类检查",
    SOC_METABOLISM: "代谢及营养类疾病",
    SOC_GI: "胃肠系统疾病",
    SOC_SKIN: "皮肤及皮下组织类疾病",
    SOC_INFECTIONS: "感染及侵染类疾病",
    SOC_MUSCULO: "各种肌肉骨骼及结缔组织疾病",
    SOC_GENERAL: "全身性疾病及给药部位各种反应",
    SOC_VASCULAR: "血管与淋巴管类疾病",
    SOC_RENAL: "肾脏及泌尿系统疾病",
    SOC_BLOOD: "血液及淋巴系统疾病",
    SOC_NERVOUS: "各类神经系统疾病",
    SOC_RESPIRATORY: "呼吸系统、胸及纵隔疾病",
}

TERMS_BY_NAME = {term.name.lower(): term for term in TERMS}
# Names the paper uses for the same events.
ALIASES = {"acne": "Rash acneiform", "rash": "Rash maculo-papular", "alt increased": "Alanine aminotransferase "
           "increased", "ast increased": "Aspartate aminotransferase increased",
           "transaminase increased": "Alanine aminotransferase increased",
           "hyperlipidemia": "Cholesterol high"}


_ENGLISH_OF_CHINESE = {chinese: english for english, chinese in CHINESE_TERMS.items()}


def find_term(name: str) -> Term | None:
    """The coded term for `name` (case-insensitive, paper aliases and Chinese names allowed), None for an uncoded
    term."""
    key = (name or "").strip().lower()
    term = TERMS_BY_NAME.get(key) or TERMS_BY_NAME.get(_ENGLISH_OF_CHINESE.get(key, "").lower())
    if term is None and key in ALIASES:
        term = TERMS_BY_NAME[ALIASES[key].lower()]
    return term


def grade_definitions(term: Term | None) -> dict[int, str]:
    """What each grade means for `term` (generic meanings for an uncoded term)."""
    return dict(term.grades) if term else dict(GENERIC_GRADES)
