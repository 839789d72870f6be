"""The drugs that change the sirolimus level, and the names they are written under on a chart (pure, no Django).

Sirolimus is a CYP3A4 and P-gp substrate. SPEC §4 asks for a warning on strong CYP3A4 inhibitors or inducers
(it names ketoconazole, voriconazole, itraconazole, clarithromycin, erythromycin, rifampin, rifabutin) and on
cyclosporine; the list below completes the strong inhibitors and inducers of the product information.
[decision] Erythromycin is a moderate inhibitor, kept because the protocol lists it.

Each drug has a code (stored nowhere: the flag is derived when read), generic names in English (international and
US spellings) and Chinese, and common brand names (international and Chinese). A medication as typed matches a
name when, after NFKC normalisation (full-width letters and digits become ASCII) and case folding:
- a Latin name equals a run of consecutive words of the text, spaces, hyphens, dots and apostrophes ignored
  ("St. John's-wort", "cyclo-sporine", "RIFAMPICIN 600 mg", "ｎｅｏｒａｌ");
- a Chinese name occurs in the text with spaces and punctuation removed ("环孢素软胶囊", "环 孢 素"), unless it is
  only part of another drug's name listed in NOT_THE_DRUG (罗红霉素, roxithromycin, is not 红霉素).
Several names of one drug (环孢素 (Neoral)) give that drug once.
"""

import re
import unicodedata
from dataclasses import dataclass

INHIBITOR, INDUCER, CALCINEURIN = "inhibitor", "inducer", "calcineurin"


@dataclass(frozen=True)
class InteractingDrug:
    code: str  # the generic name, as the protocol writes it
    effect: str  # INHIBITOR raises the sirolimus level, INDUCER lowers it, CALCINEURIN: cyclosporine (raises it)
    names: tuple[str, ...]  # generic and brand names, Latin and Chinese


INTERACTING_DRUGS: tuple[InteractingDrug, ...] = (
    # strong CYP3A4 inhibitors
    InteractingDrug("ketoconazole", INHIBITOR, ("ketoconazole", "nizoral", "酮康唑", "里素劳")),
    InteractingDrug("itraconazole", INHIBITOR, ("itraconazole", "sporanox", "伊曲康唑", "斯皮仁诺")),
    InteractingDrug("voriconazole", INHIBITOR, ("voriconazole", "vfend", "伏立康唑", "威凡")),
    InteractingDrug("posaconazole", INHIBITOR, ("posaconazole", "noxafil", "泊沙康唑", "诺科飞")),
    InteractingDrug("clarithromycin", INHIBITOR, ("clarithromycin", "biaxin", "klacid", "克拉霉素", "克拉仙")),
    InteractingDrug("erythromycin", INHIBITOR, ("erythromycin", "红霉素")),
    InteractingDrug("telithromycin", INHIBITOR, ("telithromycin", "ketek", "泰利霉素")),
    InteractingDrug("ritonavir", INHIBITOR, ("ritonavir", "norvir", "kaletra", "paxlovid", "利托那韦", "克力芝",
                                             "帕罗韦德", "奈玛特韦/利托那韦")),
    InteractingDrug("cobicistat", INHIBITOR, ("cobicistat", "tybost", "考比司他")),
    InteractingDrug("indinavir", INHIBITOR, ("indinavir", "crixivan", "茚地那韦")),
    InteractingDrug("nelfinavir", INHIBITOR, ("nelfinavir", "viracept", "奈非那韦")),
    InteractingDrug("saquinavir", INHIBITOR, ("saquinavir", "invirase", "沙奎那韦")),
    InteractingDrug("nefazodone", INHIBITOR, ("nefazodone", "serzone", "奈法唑酮")),
    # strong CYP3A4 inducers
    InteractingDrug("rifampin", INDUCER, ("rifampin", "rifampicin", "rifadin", "rimactane", "利福平")),
    InteractingDrug("rifabutin", INDUCER, ("rifabutin", "mycobutin", "利福布汀")),
    InteractingDrug("rifapentine", INDUCER, ("rifapentine", "priftin", "利福喷丁")),
    InteractingDrug("carbamazepine", INDUCER, ("carbamazepine", "tegretol", "卡马西平", "得理多")),
    InteractingDrug("phenytoin", INDUCER, ("phenytoin", "fosphenytoin", "dilantin", "epanutin", "苯妥英", "大仑丁")),
    InteractingDrug("phenobarbital", INDUCER, ("phenobarbital", "phenobarbitone", "luminal", "苯巴比妥", "鲁米那")),
    InteractingDrug("st_johns_wort", INDUCER, ("st john's wort", "saint john's wort", "st john wort", "hypericum",
                                               "圣约翰草", "贯叶连翘", "贯叶金丝桃")),
    InteractingDrug("enzalutamide", INDUCER, ("enzalutamide", "xtandi", "恩扎卢胺")),
    InteractingDrug("apalutamide", INDUCER, ("apalutamide", "erleada", "阿帕他胺")),
    InteractingDrug("mitotane", INDUCER, ("mitotane", "lysodren", "米托坦")),
    # SPEC §4: cyclosporine (raises the sirolimus level; take sirolimus 4 h after it)
    InteractingDrug("cyclosporine", CALCINEURIN, ("cyclosporine", "ciclosporin", "cyclosporin", "cyclosporine a",
                                                  "neoral", "sandimmun", "sandimmune", "gengraf", "环孢素",
                                                  "环孢菌素", "环孢霉素", "新山地明", "山地明", "赛斯平")),
)
DRUGS_BY_CODE = {drug.code: drug for drug in INTERACTING_DRUGS}

# Other drugs whose Chinese name contains a listed one: not the listed drug.
NOT_THE_DRUG = ("罗红霉素", "地红霉素")  # roxithromycin, dirithromycin: not erythromycin

_LATIN_WORD = re.compile(r"[a-z]+|[0-9]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.·・'’`,/()（）、，。；;:：+]+")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def _latin_key(name: str) -> str:
    return "".join(_LATIN_WORD.findall(_fold(name)))


def _is_chinese(name: str) -> bool:
    return bool(_CJK.search(name))


_LATIN_NAMES: dict[str, str] = {}
_CHINESE_NAMES: dict[str, str] = {}
for _drug in INTERACTING_DRUGS:
    for _name in _drug.names:
        if _is_chinese(_name):
            _CHINESE_NAMES[_SEPARATORS.sub("", _fold(_name))] = _drug.code
        else:
            _LATIN_NAMES[_latin_key(_name)] = _drug.code
_LONGEST_LATIN = max(len(_LATIN_WORD.findall(_fold(n))) for d in INTERACTING_DRUGS for n in d.names
                     if not _is_chinese(n))


def _latin_matches(text: str) -> list[tuple[int, str]]:
    """(position, code) of each Latin name found as a run of consecutive words of `text`."""
    matches = list(_LATIN_WORD.finditer(text))
    words = [m.group() for m in matches]
    found = []
    for start in range(len(words)):
        for length in range(1, min(_LONGEST_LATIN, len(words) - start) + 1):
            key = "".join(words[start:start + length])
            if key in _LATIN_NAMES:
                found.append((matches[start].start(), _LATIN_NAMES[key]))
    return found


def _chinese_matches(text: str) -> list[tuple[int, str]]:
    """(position, code) of each Chinese name in `text` (separators between its characters ignored)."""
    kept = [(i, ch) for i, ch in enumerate(text) if not _SEPARATORS.fullmatch(ch)]
    compact = "".join(ch for _i, ch in kept)
    for other in NOT_THE_DRUG:
        compact = compact.replace(other, "＿" * len(other))
    found = []
    for name, code in _CHINESE_NAMES.items():
        position = compact.find(name)
        if position >= 0:
            found.append((kept[position][0], code))
    return found


def interacting_drugs(name: str) -> list[str]:
    """The codes of the interacting drugs a medication as typed refers to, each once, in the order written."""
    text = _fold(name)
    found = sorted(_latin_matches(text) + _chinese_matches(text))
    codes: list[str] = []
    for _position, code in found:
        if code not in codes:
            codes.append(code)
    return codes


def interacting_drug(name: str) -> str | None:
    """The first interacting drug a medication name refers to, or None."""
    return next(iter(interacting_drugs(name)), None)


def is_grapefruit(name: str) -> bool:
    """Grapefruit (juice) raises the level too: 西柚 / 葡萄柚 are its Chinese names."""
    text = _SEPARATORS.sub("", _fold(name))
    return "grapefruit" in text or "西柚" in text or "葡萄柚" in text
