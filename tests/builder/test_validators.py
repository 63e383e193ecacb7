"""The field validators of forms_app.builder.validators, with valid and invalid examples.

Every validator raises a ``ValidationError`` whose message names the field, so
an importer row error reads as well as an error shown next to an input.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from forms_app.builder import validators as v
from tests.samples import KNOWN_CREDIT_CODE, KNOWN_ID

LABEL = "证件号码"


def make_id(region="110105", birth="19491231", seq="002"):
    """A resident ID number with the right check digit, whatever its other parts."""
    first17 = f"{region}{birth}{seq}"
    assert len(first17) == 17
    return first17 + v.id_check_digit(first17)


def make_credit_code(first17):
    """A credit code with the right check character for its first 17 characters."""
    assert len(first17) == 17
    return first17 + v.credit_code_check_char(first17)


def error_of(validator, value, label=LABEL):
    """Call ``validator`` and return the ValidationError it must raise."""
    with pytest.raises(ValidationError) as caught:
        validator(value, label)
    return caught.value


def assert_valid(validator, value):
    assert validator(value, LABEL) is None


# --- helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("110105 19491231 002x", "11010519491231002X"),
        ("9135-0100-m000 100y43", "91350100M000100Y43"),
        ("\t abc\n", "ABC"),
        (None, ""),
        ("", ""),
        (12345, "12345"),
    ],
)
def test_normalise_code(value, expected):
    assert v.normalise_code(value) == expected


def test_known_resident_id_sample_has_x_check_digit():
    assert v.id_check_digit(KNOWN_ID[:17]) == "X"


def test_known_credit_code_sample_has_its_check_character():
    assert v.credit_code_check_char(KNOWN_CREDIT_CODE[:17]) == "3"


def test_id_check_digit_follows_gb_11643():
    # Worked by hand: sum of digit × weight for 11010519491231002 is 167; 167 mod 11 = 2 → X.
    first17 = "11010519491231002"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    assert total % 11 == 2
    assert v.id_check_digit(first17) == "10X98765432"[2]


# --- resident ID (GB 11643) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        KNOWN_ID,
        KNOWN_ID.lower(),
        "110105 19491231 002X",
        "110105-19491231-002X",
        " 11010519491231002X ",
        make_id("330106", "19800229", "123"),  # a leap day
        make_id("330106", "20000229", "001"),  # 2000 was a leap year
        make_id("440301", "19000101", "555"),  # the earliest year accepted
        make_id("650102", date.today().strftime("%Y%m%d"), "010"),  # born today
        make_id("710000", "19700101", "001"),  # Taiwan residence permit
        make_id("810000", "19850615", "002"),  # Hong Kong residence permit
        make_id("820000", "19900101", "003"),  # Macao residence permit
    ],
)
def test_resident_id_valid(value):
    assert_valid(v.validate_resident_id, value)


def test_resident_id_built_numbers_cover_every_check_character():
    seen = set()
    for seq in range(100, 200):
        number = make_id("330106", "19800101", str(seq))
        v.validate_resident_id(number, LABEL)
        seen.add(number[-1])
    assert seen == set("0123456789X")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310021", "id_check_digit"),  # X replaced by 1
        (KNOWN_ID[:-1] + "0", "id_check_digit"),
        ("11010519491231003X", "id_check_digit"),  # one digit changed
        (make_id("110105", "19491331"), "id_birth_date"),  # month 13
        (make_id("110105", "19490001"), "id_birth_date"),  # month 0
        (make_id("110105", "20000230"), "id_birth_date"),  # 30 February
        (make_id("110105", "19000229"), "id_birth_date"),  # 1900 was not a leap year
        (make_id("110105", "19490100"), "id_birth_date"),  # day 0
        (make_id("110105", "19490432"), "id_birth_date"),  # 32 April
        (make_id("110105", "18991231"), "id_birth_date"),  # before 1900
        (make_id("110105", "00000101"), "id_birth_date"),  # year 0
        (make_id("110105", (date.today() + timedelta(days=1)).strftime("%Y%m%d")), "id_birth_date"),
        (make_id("110105", f"{date.today().year + 1}0101"), "id_birth_date"),
        (make_id("990105"), "id_region"),  # no province 99
        (make_id("000105"), "id_region"),
        (make_id("100105"), "id_region"),
        (make_id("720000"), "id_region"),
        ("", "id_format"),
        (None, "id_format"),
        (KNOWN_ID[:17], "id_format"),  # 17 characters
        (KNOWN_ID + "1", "id_format"),  # 19 characters
        ("110105491231002", "id_format"),  # the old 15-digit number
        ("1101051949123100XX", "id_format"),  # X not only last
        ("X1010519491231002X", "id_format"),
        ("11010519491231002Y", "id_format"),
        ("11010519491231002*", "id_format"),
        ("11010519491231002X\n1", "id_format"),
        ("".join(chr(0xFF10 + int(d)) for d in KNOWN_ID[:17]) + "X", "id_format"),  # full-width digits
        ("11010５19491231002X", "id_format"),  # one full-width digit, right check digit
        ("11" + "".join(chr(0x660 + int(d)) for d in KNOWN_ID[2:17]) + "X", "id_format"),  # Arabic-Indic
    ],
)
def test_resident_id_invalid(value, code):
    error = error_of(v.validate_resident_id, value)
    assert error.code == code


def test_resident_id_wrong_check_digit_message():
    with override("en"):
        message = error_of(v.validate_resident_id, "110105194912310021").messages[0]
    assert message == "证件号码: the check digit is wrong; please check the number."


def test_resident_id_invalid_birth_date_message():
    with override("en"):
        message = error_of(v.validate_resident_id, make_id(birth="19491331")).messages[0]
    assert message == "证件号码: digits 7 to 14 are not a valid date of birth."


# --- unified social credit code (GB 32100) -----------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        KNOWN_CREDIT_CODE,
        KNOWN_CREDIT_CODE.lower(),
        "9135 0100 M000 100Y 43",
        "91350100-M000100Y4-3",
        make_credit_code("91330106MA2H12345"),
        make_credit_code("12330000470051726"),  # a public institution (事业单位)
        make_credit_code("52330000MJ8812345"),  # a social organisation
        make_credit_code("Y1330106000000000"),
    ],
)
def test_credit_code_valid(value):
    assert_valid(v.validate_credit_code, value)


def test_credit_code_check_char_is_in_the_alphabet_for_every_remainder():
    seen = set()
    for n in range(2000):
        code = make_credit_code(f"913301060000{n:05d}")
        v.validate_credit_code(code, LABEL)
        seen.add(code[-1])
    assert seen <= set("0123456789ABCDEFGHJKLMNPQRTUWXY")
    assert len(seen) == 31


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (KNOWN_CREDIT_CODE[:-1] + "4", "credit_code_check"),
        (KNOWN_CREDIT_CODE[:-1] + "Y", "credit_code_check"),
        ("91350100M000100Y34", "credit_code_check"),  # last two swapped
        ("91350100M000101Y43", "credit_code_check"),  # one character changed
        ("91350100I000100Y43", "credit_code_format"),
        ("91350100O000100Y43", "credit_code_format"),
        ("91350100S000100Y43", "credit_code_format"),
        ("91350100V000100Y43", "credit_code_format"),
        ("91350100Z000100Y43", "credit_code_format"),
        ("91350100M000100Y4I", "credit_code_format"),  # forbidden check character
        ("9135A100M000100Y43", "credit_code_format"),  # region code must be digits
        (KNOWN_CREDIT_CODE[:17], "credit_code_format"),  # 17 characters
        (KNOWN_CREDIT_CODE + "0", "credit_code_format"),  # 19 characters
        ("", "credit_code_format"),
        (None, "credit_code_format"),
        ("9135０100M000100Y43", "credit_code_format"),  # a full-width digit in the region code
        ("91350100M000100Y4３", "credit_code_format"),
        ("91350100M000100Y43!", "credit_code_format"),
    ],
)
def test_credit_code_invalid(value, code):
    error = error_of(v.validate_credit_code, value)
    assert error.code == code


# --- identity documents other than the resident ID ----------------------------------------------


@pytest.mark.parametrize("value", ["E12345678", "G1234567", "ab12345", "P 1234 5678", "A" * 20, "12345"])
def test_passport_valid(value):
    assert_valid(v.validate_passport, value)


@pytest.mark.parametrize("value", ["", None, "E123", "A" * 21, "E1234567!", "护照12345678", "E1234_5678"])
def test_passport_invalid(value):
    assert error_of(v.validate_passport, value).code == "passport_format"


@pytest.mark.parametrize("value", ["H12345678", "M12345678", "H1234567890", "h12345678", "M 1234 5678"])
def test_hk_macao_permit_valid(value):
    assert_valid(v.validate_hk_macao_permit, value)


@pytest.mark.parametrize(
    "value",
    ["", "A12345678", "H1234567", "H123456789", "H123456789012", "12345678", "HM12345678", "Ｈ12345678"],
)
def test_hk_macao_permit_invalid(value):
    assert error_of(v.validate_hk_macao_permit, value).code == "permit_format"


@pytest.mark.parametrize("value", ["12345678", "1234567890", "1234 5678", "1234-5678-90"])
def test_taiwan_permit_valid(value):
    assert_valid(v.validate_taiwan_permit, value)


@pytest.mark.parametrize(
    "value", ["", "1234567", "123456789", "12345678901", "T12345678", "１２３４５６７８"]
)
def test_taiwan_permit_invalid(value):
    assert error_of(v.validate_taiwan_permit, value).code == "permit_format"


@pytest.mark.parametrize("value", ["AB(12)-3", "e1234", "  ZHW123456  ", "A" * 30])
def test_other_document_valid(value):
    assert_valid(v.validate_other_document, value)


@pytest.mark.parametrize("value", ["", None, "AB12", "A" * 31, "中文12345", "AB 12345", "AB_12345"])
def test_other_document_invalid(value):
    assert error_of(v.validate_other_document, value).code == "document_format"


def test_document_validators_cover_every_document_type():
    assert set(v.DOCUMENT_VALIDATORS) == {code for code, _label in v.DOCUMENT_TYPES}
    assert v.DOCUMENT_VALIDATORS["resident_id"] is v.validate_resident_id
    assert v.DOCUMENT_VALIDATORS["passport"] is v.validate_passport


# --- telephone numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["13429129088", "19912345678", "15000000000", "134 2912 9088", "134-2912-9088", " 13429129088 "]
)
def test_mobile_valid(value):
    assert_valid(v.validate_mobile, value)


@pytest.mark.parametrize(
    "value",
    [
        "12345678901",  # no mobile prefix 12
        "10012345678",
        "23429129088",
        "1342912908",  # 10 digits
        "134291290888",  # 12 digits
        "1342912908a",
        "+8613429129088",
        "0571-88394838",
        "",
        None,
        "1342912908８",  # a full-width digit
    ],
)
def test_mobile_invalid(value):
    assert error_of(v.validate_mobile, value).code == "invalid_mobile"


@pytest.mark.parametrize(
    "value",
    ["0571-88394838", "057188394838", "010-12345678-123", "010-1234567", "0571-8839483", " 0571-88394838 "],
)
def test_landline_valid(value):
    assert_valid(v.validate_landline, value)


@pytest.mark.parametrize(
    "value",
    [
        "88394838",  # no area code
        "571-88394838",  # area code must start with 0
        "0571-883948",  # 6-digit number
        "0571-883948381",  # 9-digit number
        "(0571)88394838",
        "0571-88394838-1234567",  # extension too long
        "0571--88394838",
        "13429129088",
        "",
        None,
        "０571-88394838",
    ],
)
def test_landline_invalid(value):
    assert error_of(v.validate_landline, value).code == "invalid_landline"


@pytest.mark.parametrize("value", ["13429129088", "134 2912 9088", "0571-88394838", "010-12345678-123"])
def test_phone_valid(value):
    assert_valid(v.validate_phone, value)


@pytest.mark.parametrize("value", ["88394838", "12345678901", "", "phone", "0571-883948"])
def test_phone_invalid(value):
    assert error_of(v.validate_phone, value).code == "invalid_phone"


# --- postcode, bank, e-mail ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["310000", "100000", "010010", "830000", " 310000 "])
def test_postcode_valid(value):
    assert_valid(v.validate_postcode, value)


@pytest.mark.parametrize("value", ["912345", "31000", "3100000", "31000a", "", None, "３１００００"])
def test_postcode_invalid(value):
    assert error_of(v.validate_postcode, value).code == "invalid_postcode"


@pytest.mark.parametrize("value", ["102331000017", "1023 3100 0017", "1023-3100-0017", "000000000000"])
def test_bank_code_valid(value):
    assert_valid(v.validate_bank_code, value)


@pytest.mark.parametrize(
    "value", ["10233100001", "1023310000170", "10233100001A", "", None, "１０２３３１００００１７"]
)
def test_bank_code_invalid(value):
    assert error_of(v.validate_bank_code, value).code == "invalid_bank_code"


@pytest.mark.parametrize(
    "value",
    [
        "6222021234567890123",
        "6222 0212 3456 7890",
        "6222-0212-3456-7890",
        "123456",  # the shortest
        "1" * 32,  # the longest
        "33001616135053001234",
    ],
)
def test_bank_account_valid(value):
    assert_valid(v.validate_bank_account, value)


@pytest.mark.parametrize(
    "value",
    [
        "12345",  # too short
        "1" * 33,  # too long
        "6222O21234567890",  # a letter O, not a zero
        "6222021234567890X",
        "ABCDEFGH",
        "6222.0212.3456",
        "",
        None,
        "６２２２０２１２３４５６",
    ],
)
def test_bank_account_invalid(value):
    assert error_of(v.validate_bank_account, value).code == "invalid_bank_account"


@pytest.mark.parametrize(
    "value", ["zjszjzx@example.com", "a.b+c@sub.example.cn", "expert_01@zj.gov.cn", "x@xn--fiqs8s.cn"]
)
def test_email_valid(value):
    assert_valid(v.validate_email, value)


@pytest.mark.parametrize(
    "value", ["foo", "foo@", "@example.com", "a@b", "a b@example.com", "a@@example.com", "", None]
)
def test_email_invalid(value):
    assert error_of(v.validate_email, value).code == "invalid_email"


# --- every message names the field ---------------------------------------------------------------

INVALID_EXAMPLES = [
    (v.validate_resident_id, "123"),
    (v.validate_resident_id, make_id("990105")),
    (v.validate_resident_id, make_id(birth="19491331")),
    (v.validate_resident_id, "110105194912310021"),
    (v.validate_credit_code, "123"),
    (v.validate_credit_code, KNOWN_CREDIT_CODE[:-1] + "4"),
    (v.validate_passport, "E1"),
    (v.validate_other_document, "E1"),
    (v.validate_hk_macao_permit, "X1"),
    (v.validate_taiwan_permit, "1"),
    (v.validate_mobile, "12345678901"),
    (v.validate_landline, "88394838"),
    (v.validate_phone, "88394838"),
    (v.validate_postcode, "912345"),
    (v.validate_bank_code, "1"),
    (v.validate_bank_account, "abc"),
    (v.validate_email, "foo"),
]
EXAMPLE_IDS = [f"{validator.__name__}-{value}" for validator, value in INVALID_EXAMPLES]


@pytest.mark.parametrize(("validator", "value"), INVALID_EXAMPLES, ids=EXAMPLE_IDS)
def test_message_names_the_field_in_english(validator, value):
    error = error_of(validator, value)
    with override("en"):
        messages = error.messages
    assert len(messages) == 1
    assert messages[0].startswith(f"{LABEL}: ")
    assert "%(" not in messages[0]
    assert len(messages[0]) > len(LABEL) + 5


@pytest.mark.parametrize(("validator", "value"), INVALID_EXAMPLES, ids=EXAMPLE_IDS)
def test_message_names_the_field_in_chinese(validator, value):
    error = error_of(validator, value)
    with override("zh-hans"):
        message = error.messages[0]
    assert LABEL in message
    assert "%(" not in message


@pytest.mark.parametrize(("validator", "value"), INVALID_EXAMPLES, ids=EXAMPLE_IDS)
def test_message_without_label_says_this_field(validator, value):
    with pytest.raises(ValidationError) as caught:
        validator(value)
    with override("en"):
        assert caught.value.messages[0].startswith("This field: ")


@pytest.mark.parametrize(("validator", "value"), INVALID_EXAMPLES, ids=EXAMPLE_IDS)
def test_error_has_a_code_and_the_label_as_parameter(validator, value):
    error = error_of(validator, value)
    assert error.code
    assert error.params["field"] == LABEL


def test_validators_work_as_django_field_validators_with_a_bound_label():
    from functools import partial

    from django import forms

    field = forms.CharField(validators=[partial(v.validate_mobile, label="联系人手机")])
    assert field.clean("13429129088") == "13429129088"
    with pytest.raises(ValidationError) as caught:
        field.clean("12345678901")
    with override("en"):
        assert caught.value.messages == ["联系人手机: enter an 11-digit mobile number, e.g. 13429129088."]
