"""A candidate's national identifiers, and what is wrong with one typed in.

The Unique Learner Number (ULN) is ten digits, the first not zero, the last a check digit: the first
nine weighted 10, 9, ..., 2 and summed; the check digit is 10 minus the sum's remainder on division
by 11, and a remainder of 0 (which would make the check digit 10) gives no valid number. It is the
HESA/Learning Records Service rule "the ten digits weighted 10 ... 1 sum to 10 modulo 11" (HESA
student record, field ULN). Example: 9276308686.

The Scottish Candidate Number (SCN) is nine digits; SQA publishes no check digit for centres to test."""

ULN_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def uln_check_digit(first_nine: str) -> int | None:
    """The check digit the first nine digits call for; None when no ULN can start with them."""
    remainder = sum(int(digit) * weight for digit, weight in zip(first_nine, ULN_WEIGHTS, strict=True)) % 11
    return None if remainder == 0 else 10 - remainder


def uln_problem(value: str) -> str | None:
    """What is wrong with a ULN as typed (spaces allowed), for the person who typed it; None if
    nothing."""
    digits = value.replace(" ", "")
    if not (len(digits) == 10 and digits.isascii() and digits.isdigit()):
        return "A Unique Learner Number (ULN) is 10 digits, such as 9276308686."
    if digits[0] == "0":
        return "A Unique Learner Number (ULN) does not start with 0. Check it against the learner’s record."
    if uln_check_digit(digits[:9]) != int(digits[9]):
        return (
            f"{digits} is not a valid Unique Learner Number: its last digit does not match the others. "
            "Check it against the learner’s record."
        )
    return None


def scn_problem(value: str) -> str | None:
    digits = value.replace(" ", "")
    if not (len(digits) == 9 and digits.isascii() and digits.isdigit()):
        return "A Scottish Candidate Number (SCN) is 9 digits."
    return None
