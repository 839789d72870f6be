"""Table tests of the interacting-drug vocabulary (dosing.drugs): generic, brand and Chinese names, typed as a
nurse types them."""

import pytest

from dosing.drugs import DRUGS_BY_CODE, INTERACTING_DRUGS, interacting_drug, interacting_drugs, is_grapefruit


@pytest.mark.parametrize("typed, drugs", [
    # cyclosporine: every way it is written
    ("环孢素", ["cyclosporine"]),
    ("环孢素软胶囊 25 mg bid", ["cyclosporine"]),
    ("环 孢 素", ["cyclosporine"]),
    ("环孢菌素", ["cyclosporine"]),
    ("Cyclosporine", ["cyclosporine"]),
    ("ciclosporin", ["cyclosporine"]),
    ("CYCLOSPORIN A", ["cyclosporine"]),
    ("cyclo-sporine", ["cyclosporine"]),
    ("Neoral 100mg", ["cyclosporine"]),
    ("Sandimmun", ["cyclosporine"]),
    ("新山地明", ["cyclosporine"]),
    ("环孢素（新山地明 Neoral）", ["cyclosporine"]),  # three names, one drug: named once
    ("ｃｙｃｌｏｓｐｏｒｉｎｅ", ["cyclosporine"]),  # full-width letters
    ("ＮＥＯＲＡＬ　１００ｍｇ", ["cyclosporine"]),  # full-width capitals, ideographic space
    # azoles
    ("泊沙康唑", ["posaconazole"]), ("Posaconazole oral suspension", ["posaconazole"]), ("Noxafil", ["posaconazole"]),
    ("伏立康唑片", ["voriconazole"]), ("VFEND", ["voriconazole"]), ("伊曲康唑", ["itraconazole"]),
    ("Sporanox", ["itraconazole"]), ("酮康唑", ["ketoconazole"]), ("ketoconazole", ["ketoconazole"]),
    # macrolides: clarithromycin and (listed by the protocol) erythromycin, not the others
    ("克拉霉素", ["clarithromycin"]), ("Klacid", ["clarithromycin"]), ("clarithromycin 500 mg", ["clarithromycin"]),
    ("红霉素", ["erythromycin"]), ("琥乙红霉素", ["erythromycin"]), ("Erythromycin", ["erythromycin"]),
    ("罗红霉素", []), ("roxithromycin", []), ("地红霉素", []), ("阿奇霉素", []), ("azithromycin", []),
    ("泰利霉素", ["telithromycin"]),
    # boosters and others
    ("利托那韦", ["ritonavir"]), ("lopinavir/ritonavir", ["ritonavir"]), ("Paxlovid", ["ritonavir"]),
    ("考比司他", ["cobicistat"]), ("奈法唑酮", ["nefazodone"]),
    # inducers
    ("利福平", ["rifampin"]), ("rifampicin 600 mg", ["rifampin"]), ("Rifampin", ["rifampin"]),
    ("利福布汀", ["rifabutin"]), ("卡马西平", ["carbamazepine"]), ("Tegretol", ["carbamazepine"]),
    ("carbamazepine", ["carbamazepine"]), ("苯妥英钠", ["phenytoin"]), ("phenytoin", ["phenytoin"]),
    ("苯巴比妥", ["phenobarbital"]), ("phenobarbitone", ["phenobarbital"]),
    ("St John's wort", ["st_johns_wort"]), ("St. John’s-Wort extract", ["st_johns_wort"]),
    ("st johns wort", ["st_johns_wort"]), ("圣约翰草", ["st_johns_wort"]), ("贯叶连翘", ["st_johns_wort"]),
    ("oxcarbazepine", []), ("奥卡西平", []),
    # two different drugs in one entry: both, each once, in the order written
    ("rifampicin + clarithromycin", ["rifampin", "clarithromycin"]),
    ("克拉霉素 clarithromycin 利福平", ["clarithromycin", "rifampin"]),
    # not interacting
    ("Prednisone", []), ("泼尼松", []), ("eltrombopag", []), ("氟康唑", []), ("", []), ("   ", []),
    ("neo", []), ("sandim", []),
])
def test_interacting_drug_names(typed, drugs):
    assert interacting_drugs(typed) == drugs
    assert interacting_drug(typed) == (drugs[0] if drugs else None)


def test_every_protocol_drug_has_a_chinese_and_an_english_name():
    for drug in INTERACTING_DRUGS:
        assert any("\u4e00" <= ch <= "\u9fff" for name in drug.names for ch in name), drug.code
        assert any(name.isascii() for name in drug.names), drug.code
    for code in ("ketoconazole", "voriconazole", "itraconazole", "clarithromycin", "erythromycin", "rifampin",
                 "rifabutin", "cyclosporine"):  # SPEC §4's list
        assert code in DRUGS_BY_CODE


def test_no_name_belongs_to_two_drugs():
    seen: dict[str, str] = {}
    for drug in INTERACTING_DRUGS:
        for name in drug.names:
            assert seen.setdefault(name.casefold(), drug.code) == drug.code, name


@pytest.mark.parametrize("typed, grapefruit", [
    ("grapefruit juice", True), ("Grapefruit", True), ("西柚汁", True), ("葡萄柚", True),
    ("ＧＲＡＰＥＦＲＵＩＴ", True),
    ("orange juice", False), ("柚子", False),
])
def test_grapefruit(typed, grapefruit):
    assert is_grapefruit(typed) is grapefruit
