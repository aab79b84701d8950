"""Checks of what a referent types into contact and master-data fields: e-mail, Danish phone
numbers and CPR numbers. Each check returns an error code (translated by i18n.t) or None.

No Textual here; the screens show t(code) next to the field and keep the user's input.
"""

from __future__ import annotations

from datetime import date

#: the character shown instead of each hidden CPR digit
MASK = "•"


# --------------------------------------------------------------------------- e-mail


def validate_email(s: str) -> str | None:
    """A sane e-mail check: one @, a name before it, a domain with a dot after it.

    Deliberately not RFC 5322: the point is to catch typos ("lone.hansen@kommune",
    "lone hansen@x.dk", two @), not to rule on exotic but legal addresses. Letters outside
    ASCII are allowed in the domain (æøå.dk exists).
    """
    s = s.strip()
    if not s:
        return None
    if any(ch.isspace() for ch in s):
        return "validate.email_spaces"
    if s.count("@") != 1:
        return "validate.email_at"
    local, domain = s.split("@")
    if not local or len(local) > 64 or local.startswith(".") or local.endswith(".") or ".." in local:
        return "validate.email_local"
    if any(ch in '<>()[]\\,;:"' for ch in local):
        return "validate.email_local"
    if len(s) > 254 or "." not in domain:
        return "validate.email_domain"
    labels = domain.split(".")
    for label in labels:
        if not label or label.startswith("-") or label.endswith("-"):
            return "validate.email_domain"
        if not all(ch.isalnum() or ch == "-" for ch in label):
            return "validate.email_domain"
    tld = labels[-1]
    if len(tld) < 2 or not tld.isalpha():
        return "validate.email_domain"
    return None


# --------------------------------------------------------------------------- Danish phone


def _phone_digits(s: str) -> str | None:
    """The 8 subscriber digits of a Danish number, or None when `s` is not one."""
    compact = "".join(s.split())
    if compact.startswith("+45"):
        compact = compact[3:]
    elif compact.startswith("0045"):
        compact = compact[4:]
    if len(compact) != 8 or not compact.isascii() or not compact.isdigit():
        return None
    return compact


def validate_phone_dk(s: str) -> str | None:
    """8 digits, spaces allowed anywhere, optionally +45 or 0045 in front. Empty is fine."""
    if not s.strip():
        return None
    if _phone_digits(s) is not None:
        return None
    compact = "".join(s.split())
    rest = compact[3:] if compact.startswith("+45") else compact[4:] if compact.startswith("0045") else compact
    if not rest.isascii() or not rest.isdigit():
        return "validate.phone_chars"
    return "validate.phone_length"


def normalise_phone_dk(s: str) -> str:
    """"+45 12 34 56 78" for a valid Danish number; anything else is returned stripped."""
    digits = _phone_digits(s)
    if digits is None:
        return s.strip()
    pairs = " ".join(digits[i : i + 2] for i in range(0, 8, 2))
    return f"+45 {pairs}"


# --------------------------------------------------------------------------- CPR


def _cpr_digits(s: str) -> str | None:
    """The 10 digits of "ddmmyy-xxxx" (the dash may be left out), or None."""
    s = s.strip()
    if len(s) == 11 and s[6] == "-":
        s = s[:6] + s[7:]
    if len(s) != 10 or not s.isascii() or not s.isdigit():
        return None
    return s


def cpr_birth_date(s: str) -> date | None:
    """The birth date a CPR number encodes (the 7th digit gives the century), or None."""
    digits = _cpr_digits(s)
    if digits is None:
        return None
    day, month, yy, seventh = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    # The CPR office's rule for the century (since 1968 the 7th digit encodes it).
    if seventh <= 3:
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:
        century = 2000 if yy <= 57 else 1800
    try:
        return date(century + yy, month, day)
    except ValueError:
        return None


def validate_cpr(s: str) -> str | None:
    """ddmmyy-xxxx with a real date. Empty is fine: the CPR number is optional.

    The modulus-11 check is not applied: numbers issued since 2007 need not pass it.
    """
    if not s.strip():
        return None
    if _cpr_digits(s) is None:
        return "validate.cpr_format"
    if cpr_birth_date(s) is None:
        return "validate.cpr_date"
    return None


def normalise_cpr(s: str) -> str:
    """"ddmmyy-xxxx" for a well-formed number; anything else is returned stripped."""
    digits = _cpr_digits(s)
    return s.strip() if digits is None else f"{digits[:6]}-{digits[6:]}"


def mask_cpr(s: str) -> str:
    """The CPR number with everything after the birth date hidden: "010190-••••".

    The result has exactly as many characters as `s`, so a text field can show it in place of
    the value with its cursor where it was. At most the first six characters stay visible, and
    nothing after the first dash: "0101-1234" (mistyped) shows "0101-••••".
    """
    out = []
    hidden = False
    for n, ch in enumerate(s):
        if not hidden and ch == "-" and n <= 6:
            out.append(ch)
            hidden = True
        elif hidden or n >= 6:
            out.append(MASK)
            hidden = True
        else:
            out.append(ch)
    return "".join(out)
