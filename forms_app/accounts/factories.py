"""Units written in code, shared by the tests, the demo content and the benchmarks."""

from forms_app.builder.validators import credit_code_check_char


def credit_code(serial):
    """Return a valid unified social credit code (an enterprise's, in 杭州) numbered ``serial``."""
    first17 = f"913301{serial:011d}"
    return first17 + credit_code_check_char(first17)
