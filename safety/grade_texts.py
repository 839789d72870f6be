"""The CTCAE v5.0 grade definitions of safety/terms.py in Chinese (pure data, no Django).

Worded after the published Chinese version (常见不良事件评价标准 CTCAE 5.0 中文版): ULN, LLN, the units and every
number, comparison sign and threshold stay exactly as in the English ("×ULN" stays, "×baseline" is ×基线值);
ADL is 日常生活活动, 工具性 for instrumental and 自理性 for self-care; BSA is 体表面积, IV 静脉. Shown on Chinese
pages only; the English text stays what the study stores and exports.
"""

_NORMAL, _ABNORMAL = "基线正常者", "基线异常者"
_INSTRUMENTAL = "影响工具性日常生活活动"
_SELF_CARE = "影响自理性日常生活活动"
_URGENT = "危及生命；需要紧急治疗"

CHINESE_GRADES = {
    # Liver and enzyme tests: by the baseline value.
    ">ULN–3.0×ULN if baseline normal; 1.5–3.0×baseline if baseline abnormal":
        f"{_NORMAL} >ULN–3.0×ULN；{_ABNORMAL} 1.5–3.0×基线值",
    ">3.0–5.0×ULN if baseline normal; >3.0–5.0×baseline if baseline abnormal":
        f"{_NORMAL} >3.0–5.0×ULN；{_ABNORMAL} >3.0–5.0×基线值",
    ">5.0–20.0×ULN if baseline normal; >5.0–20.0×baseline if baseline abnormal":
        f"{_NORMAL} >5.0–20.0×ULN；{_ABNORMAL} >5.0–20.0×基线值",
    ">20.0×ULN if baseline normal; >20.0×baseline if baseline abnormal":
        f"{_NORMAL} >20.0×ULN；{_ABNORMAL} >20.0×基线值",
    ">ULN–1.5×ULN if baseline normal; >1.0–1.5×baseline if baseline abnormal":
        f"{_NORMAL} >ULN–1.5×ULN；{_ABNORMAL} >1.0–1.5×基线值",
    ">1.5–3.0×ULN if baseline normal; >1.5–3.0×baseline if baseline abnormal":
        f"{_NORMAL} >1.5–3.0×ULN；{_ABNORMAL} >1.5–3.0×基线值",
    ">3.0–10.0×ULN if baseline normal; >3.0–10.0×baseline if baseline abnormal":
        f"{_NORMAL} >3.0–10.0×ULN；{_ABNORMAL} >3.0–10.0×基线值",
    ">10.0×ULN if baseline normal; >10.0×baseline if baseline abnormal":
        f"{_NORMAL} >10.0×ULN；{_ABNORMAL} >10.0×基线值",
    ">ULN–2.5×ULN if baseline normal; 2.0–2.5×baseline if baseline abnormal":
        f"{_NORMAL} >ULN–2.5×ULN；{_ABNORMAL} 2.0–2.5×基线值",
    ">2.5–5.0×ULN if baseline normal; >2.5–5.0×baseline if baseline abnormal":
        f"{_NORMAL} >2.5–5.0×ULN；{_ABNORMAL} >2.5–5.0×基线值",
    # Creatinine.
    ">ULN–1.5×ULN": ">ULN–1.5×ULN",
    ">1.5–3.0×baseline; >1.5–3.0×ULN": ">1.5–3.0×基线值；>1.5–3.0×ULN",
    ">3.0×baseline; >3.0–6.0×ULN": ">3.0×基线值；>3.0–6.0×ULN",
    ">6.0×ULN": ">6.0×ULN",
    # Lipids: values and units only.
    ">ULN–7.75 mmol/L (300 mg/dL)": ">ULN–7.75 mmol/L (300 mg/dL)",
    ">7.75–10.34 mmol/L (300–400 mg/dL)": ">7.75–10.34 mmol/L (300–400 mg/dL)",
    ">10.34–12.92 mmol/L (400–500 mg/dL)": ">10.34–12.92 mmol/L (400–500 mg/dL)",
    ">12.92 mmol/L (500 mg/dL)": ">12.92 mmol/L (500 mg/dL)",
    "1.71–3.42 mmol/L (150–300 mg/dL)": "1.71–3.42 mmol/L (150–300 mg/dL)",
    ">3.42–5.7 mmol/L (300–500 mg/dL)": ">3.42–5.7 mmol/L (300–500 mg/dL)",
    ">5.7–11.4 mmol/L (500–1000 mg/dL)": ">5.7–11.4 mmol/L (500–1000 mg/dL)",
    ">11.4 mmol/L (1000 mg/dL); life-threatening consequences": ">11.4 mmol/L (1000 mg/dL)；危及生命",
    # Blood counts.
    "<LLN–1.5×10⁹/L": "<LLN–1.5×10⁹/L",
    "<1.5–1.0×10⁹/L": "<1.5–1.0×10⁹/L",
    "<1.0–0.5×10⁹/L": "<1.0–0.5×10⁹/L",
    "<0.5×10⁹/L": "<0.5×10⁹/L",
    "<LLN–3.0×10⁹/L": "<LLN–3.0×10⁹/L",
    "<3.0–2.0×10⁹/L": "<3.0–2.0×10⁹/L",
    "<2.0–1.0×10⁹/L": "<2.0–1.0×10⁹/L",
    "<1.0×10⁹/L": "<1.0×10⁹/L",
    "Hb <LLN–100 g/L": "血红蛋白 <LLN–100 g/L",
    "Hb <100–80 g/L": "血红蛋白 <100–80 g/L",
    "Hb <80 g/L; transfusion indicated": "血红蛋白 <80 g/L；需要输血",
    # Shared wordings.
    "Life-threatening consequences; urgent intervention indicated": _URGENT,
    "Death": "死亡",
    "Mild pain": "轻度疼痛",
    "Moderate pain; limiting instrumental ADL": f"中度疼痛；{_INSTRUMENTAL}",
    "Severe pain; limiting self-care ADL": f"重度疼痛；{_SELF_CARE}",
    # Skin.
    "Papules and/or pustules covering <10% BSA, with or without pruritus or tenderness":
        "丘疹和/或脓疱覆盖 <10% 体表面积，伴或不伴瘙痒或触痛",
    "Papules and/or pustules covering 10–30% BSA; psychosocial impact; limiting instrumental ADL":
        f"丘疹和/或脓疱覆盖 10–30% 体表面积；伴心理社会影响；{_INSTRUMENTAL}",
    "Papules and/or pustules covering >30% BSA; limiting self-care ADL; IV antibiotics indicated":
        f"丘疹和/或脓疱覆盖 >30% 体表面积；{_SELF_CARE}；需要静脉使用抗生素",
    "Life-threatening consequences; extensive superinfection with IV antibiotics indicated":
        "危及生命；广泛二重感染，需要静脉使用抗生素",
    "Macules/papules covering <10% BSA with or without symptoms": "斑疹/丘疹覆盖 <10% 体表面积，伴或不伴症状",
    "Macules/papules covering 10–30% BSA; limiting instrumental ADL": f"斑疹/丘疹覆盖 10–30% 体表面积；{_INSTRUMENTAL}",
    "Macules/papules covering >30% BSA with moderate or severe symptoms; limiting self-care ADL":
        f"斑疹/丘疹覆盖 >30% 体表面积，伴中度或重度症状；{_SELF_CARE}",
    # Gastrointestinal.
    "Increase of <4 stools per day over baseline": "与基线相比，每天排便次数增加 <4 次",
    "Increase of 4–6 stools per day over baseline; limiting instrumental ADL":
        f"与基线相比，每天排便次数增加 4–6 次；{_INSTRUMENTAL}",
    "Increase of ≥7 stools per day; hospitalization indicated; limiting self-care ADL":
        f"每天排便次数增加 ≥7 次；需要住院治疗；{_SELF_CARE}",
    "Asymptomatic or mild symptoms; intervention not indicated": "无症状或轻度症状；无需治疗",
    "Moderate pain or ulcer that does not interfere with oral intake; modified diet indicated":
        "中度疼痛或溃疡，不影响经口进食；需要调整饮食",
    "Severe pain; interfering with oral intake": "重度疼痛；影响经口进食",
    "Loss of appetite without alteration in eating habits": "食欲降低，不伴进食习惯改变",
    "Oral intake decreased without significant weight loss, dehydration or malnutrition":
        "经口摄食减少，不伴明显体重下降、脱水或营养不良",
    "Inadequate oral caloric or fluid intake; tube feeding, TPN or hospitalization indicated":
        "经口摄入能量或水分不足；需要管饲、全胃肠外营养（TPN）或住院治疗",
    # Infections.
    "Mild symptoms; intervention not indicated": "轻度症状；无需治疗",
    "Moderate symptoms; oral intervention indicated (e.g. antibiotic, antifungal, antiviral)":
        "中度症状；需要口服药物治疗（如抗生素、抗真菌药、抗病毒药）",
    "IV antibiotic, antifungal or antiviral intervention indicated; invasive intervention indicated":
        "需要静脉使用抗生素、抗真菌药或抗病毒药治疗；需要有创治疗",
    # Oedema, fatigue.
    "5–10% inter-limb discrepancy in volume or circumference at point of greatest visible difference":
        "两侧肢体在外观差异最明显处的体积或周径相差 5–10%",
    ">10–30% inter-limb discrepancy; readily apparent obscuration of anatomic architecture":
        "两侧肢体相差 >10–30%；解剖结构轮廓明显模糊",
    ">30% inter-limb discrepancy; gross deviation from normal anatomic contour; limiting self-care ADL":
        f"两侧肢体相差 >30%；明显偏离正常解剖轮廓；{_SELF_CARE}",
    "Fatigue relieved by rest": "休息后可缓解的疲乏",
    "Fatigue not relieved by rest; limiting instrumental ADL": f"休息后不能缓解的疲乏；{_INSTRUMENTAL}",
    "Fatigue not relieved by rest; limiting self-care ADL": f"休息后不能缓解的疲乏；{_SELF_CARE}",
    # Blood pressure, kidney, glucose, lung.
    "Systolic BP 120–139 mm Hg or diastolic BP 80–89 mm Hg": "收缩压 120–139 mm Hg 或舒张压 80–89 mm Hg",
    "Systolic BP 140–159 mm Hg or diastolic BP 90–99 mm Hg; medical intervention indicated":
        "收缩压 140–159 mm Hg 或舒张压 90–99 mm Hg；需要医学干预",
    "Systolic BP ≥160 mm Hg or diastolic BP ≥100 mm Hg; more than one drug indicated":
        "收缩压 ≥160 mm Hg 或舒张压 ≥100 mm Hg；需要一种以上药物治疗",
    "Life-threatening consequences (e.g. malignant hypertension, hypertensive crisis)":
        "危及生命（如恶性高血压、高血压危象）",
    "1+ proteinuria; urinary protein ≥ULN to <1.0 g/24 h": "蛋白尿 1+；尿蛋白 ≥ULN 至 <1.0 g/24 h",
    "2+ and 3+ proteinuria; urinary protein 1.0–<3.5 g/24 h": "蛋白尿 2+ 和 3+；尿蛋白 1.0–<3.5 g/24 h",
    "Urinary protein ≥3.5 g/24 h; 4+ proteinuria": "尿蛋白 ≥3.5 g/24 h；蛋白尿 4+",
    "Abnormal glucose above baseline with no medical intervention": "血糖较基线异常升高，无需医学干预",
    "Change in daily management of glucose; oral antiglycemic agent initiated": "日常血糖管理方案改变；开始口服降糖药",
    "Insulin therapy initiated; hospitalization indicated": "开始胰岛素治疗；需要住院治疗",
    "Asymptomatic; clinical or diagnostic observations only": "无症状；仅有临床或诊断所见",
    "Symptomatic; medical intervention indicated; limiting instrumental ADL":
        f"有症状；需要医学干预；{_INSTRUMENTAL}",
    "Severe symptoms; limiting self-care ADL; oxygen indicated": f"重度症状；{_SELF_CARE}；需要吸氧",
    "Life-threatening respiratory compromise; urgent intervention indicated": "危及生命的呼吸功能受损；需要紧急治疗",
}
