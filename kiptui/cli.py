"""The command line (DESIGN.md's contract). Errors are one translated line on stderr and a
non-zero exit code, never a traceback. The Textual UI is imported lazily, only to start it.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from kiptui import __version__
from kiptui.accesslog import PURPOSES, log_bundle, log_export
from kiptui.i18n import fmt_datetime, os_reason, set_language, t

# Exit codes scripts can rely on (README documents them).
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_WRONG_PASSPHRASE = 3
EXIT_DAMAGED = 4
EXIT_LOCKED = 5
EXIT_UNKNOWN_PLAN = 6
EXIT_INVALID_INPUT = 7
EXIT_BROKEN_PIPE = 141  # stdout's reader went away (128 + SIGPIPE, as the shell shows it)

_VAULT_EXIT = {
    "wrong_passphrase": EXIT_WRONG_PASSPHRASE,
    "damaged": EXIT_DAMAGED,
    "unsupported_version": EXIT_DAMAGED,
    "wrong_vault": EXIT_DAMAGED,
    "kdf_params": EXIT_DAMAGED,
    "plan_locked": EXIT_LOCKED,
    "index_busy": EXIT_LOCKED,
    "unknown_plan": EXIT_UNKNOWN_PLAN,
    "ambiguous_plan": EXIT_UNKNOWN_PLAN,
}


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        self.message = message
        self.code = code
        super().__init__(message)


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    raise CliError(message, code)


# --------------------------------------------------------------------------- passphrases


#: The most a passphrase file may hold. A passphrase is a line of words; a longer file is not
#: a passphrase file (and /dev/zero or an endless pipe is never read to its end).
MAX_SECRET_FILE_BYTES = 4096

#: The most an input file (`json import`, `bundle open/import`) may hold.
MAX_INPUT_BYTES = 32 * 1024 * 1024


def _read_secret_file(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_SECRET_FILE_BYTES + 1)
    except OSError as err:
        fail(t("cli.passphrase_file_unreadable", path=path, reason=os_reason(err)))
    if len(raw) > MAX_SECRET_FILE_BYTES:
        fail(t("cli.passphrase_file_unreadable", path=path,
               reason=t("secret_file_too_large", limit=MAX_SECRET_FILE_BYTES)))
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        fail(t("cli.passphrase_file_unreadable", path=path, reason=t("secret_file_not_text")))


def passphrase_from_env(prefix: str = "KIPTUI") -> str | None:
    """The restic order: a file named by PREFIX_PASSPHRASE_FILE, then PREFIX_PASSPHRASE."""
    file_var = os.environ.get(f"{prefix}_PASSPHRASE_FILE")
    if file_var:
        return _read_secret_file(file_var)
    value = os.environ.get(f"{prefix}_PASSPHRASE")
    if value is not None:
        return value
    return None


def ask_passphrase(*, confirm: bool = False, prompt_key: str = "cli.prompt_passphrase") -> str:
    env = passphrase_from_env()
    if env is not None:
        return env
    if not sys.stdin.isatty():
        fail(t("cli.no_passphrase"), EXIT_USAGE)
    try:
        first = getpass.getpass(t(prompt_key) + " ")
        if confirm:
            second = getpass.getpass(t("cli.prompt_passphrase_again") + " ")
            if first != second:
                fail(t("cli.passphrases_differ"), EXIT_INVALID_INPUT)
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        fail(t("cli.cancelled"))
    return first


# --------------------------------------------------------------------------- helpers


def vault_dir(args: argparse.Namespace) -> Path:
    from kiptui.vault import default_vault_dir

    path = Path(args.vault).expanduser() if args.vault else default_vault_dir()
    if os.path.lexists(path) and not path.is_dir():
        # a vault is a folder: a file at the name is said as that, not as a missing vault
        # or as the system's "file exists"
        fail(t("cli.vault_not_a_folder", path=str(path)))
    return path


def unlock(args: argparse.Namespace):  # -> Vault
    from kiptui.vault import Vault

    path = vault_dir(args)
    Vault.read_keyfile(path)  # a missing or damaged vault is said before asking anything
    vault = Vault.unlock(path, ask_passphrase())
    say_set_aside_logs()
    return vault


def say_set_aside_logs() -> None:
    """A damaged access log is never set aside in silence: one line on stderr for each log
    this process has set aside (at the unlock, or at a later entry), naming the copy."""
    from kiptui.accesslog import take_set_aside_notices

    for notice in take_set_aside_notices():
        try:
            print(f"kiptui: {notice.message}", file=sys.stderr)
        except (OSError, ValueError):
            pass  # no stderr to say it on: verify still reports the set-aside files


def export_plaintext(vault: Any, plan: Any, fmt: str, text: str, args: argparse.Namespace, *,
                     include_cpr: bool) -> None:
    """A plaintext export (`minutes`, `json export`): to stdout without -o, else to a new
    0600 file (kiptui.minutes.write_plaintext). Logged in the access log, for a file once the
    text is safely on the disk and before it has its name: an export that fails to be
    written (no such folder, no permission, a full disk) is not logged, and no plaintext
    gets its name unlogged. The plaintext warning goes to stderr. `include_cpr`: whether
    `text` has the CPR number in it (the log says so)."""
    output = args.output

    def log(path: Path | None) -> None:
        log_export(vault, plan, fmt, path, args.purpose, args.purpose_text, include_cpr=include_cpr)

    if output is not None and not output.strip():
        # an unset variable in a script (-o "$OUT"): not the plaintext to the script's output
        fail(t("cli.empty_output"), EXIT_INVALID_INPUT)
    if not output or output == "-":
        log(None)  # before it leaves
        print(t("cli.plaintext_warning"), file=sys.stderr)
        sys.stdout.write(text)
        if not text.endswith("\n"):
            sys.stdout.write("\n")
        return
    from kiptui.minutes import write_plaintext

    path = Path(output)
    check_target(path, "cli.replace_file", args.yes)
    try:
        write_plaintext(path, text, before_replace=lambda: log(path))
    except OSError as err:
        fail(t("cli.cannot_write", path=str(path), reason=os_reason(err)))
    print(t("cli.plaintext_warning"), file=sys.stderr)
    print(t("cli.written", path=str(path)), file=sys.stderr)


def read_input_file(name: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The file `name`, at most `limit` bytes: never more than limit + 1 are read, so a
    device (/dev/zero) or an endless pipe is refused, not read into memory without end,
    while a small pipe (`<(cat plan.json)`) is read as a file is."""
    try:
        with open(name, "rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        fail(t("cli.file_not_found", path=name), EXIT_INVALID_INPUT)
    except IsADirectoryError:
        fail(t("cli.is_folder", path=name), EXIT_INVALID_INPUT)
    except OSError as err:
        fail(t("cli.cannot_read", path=name, reason=os_reason(err)), EXIT_INVALID_INPUT)
    if len(data) > limit:
        fail(t("cli.file_too_large", path=name, limit=limit // (1024 * 1024)), EXIT_INVALID_INPUT)
    return data


# --------------------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace) -> int:
    from kiptui.vault import Vault, VaultError, check_passphrase_strength

    path = vault_dir(args)
    if Vault.exists(path):
        raise VaultError("exists", path=str(path))
    passphrase = ask_passphrase(confirm=True, prompt_key="cli.prompt_new_passphrase")
    reason = check_passphrase_strength(passphrase)
    if reason:
        fail(t(f"vault.{reason}"), EXIT_INVALID_INPUT)
    Vault.create(path, passphrase)
    print(t("cli.vault_created", path=str(path)))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from kiptui.i18n import enum_label

    vault = unlock(args)
    plans = vault.list_plans()
    if not plans:
        print(t("cli.no_plans"))
        return EXIT_OK
    from kiptui.textsafe import one_line

    headers = [t("cli.col_id"), t("cli.col_citizen"), t("cli.col_status"), t("cli.col_next"),
               t("cli.col_coordinator"), t("cli.col_open")]
    rows = []
    for p in plans:
        nxt = fmt_datetime(datetime.fromisoformat(p.next_meeting)) if p.next_meeting else "–"
        rows.append([p.id, one_line(p.citizen), enum_label(p.status) if p.status else "–", nxt,
                     one_line(p.coordinator) or "–", str(p.open_agreements)])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    print("\n".join(out))
    return EXIT_OK


def cmd_json_export(args: argparse.Namespace) -> int:
    from kiptui.planjson import export_plan

    vault = unlock(args)
    plan = vault.load_plan(vault.find(args.plan))
    text = export_plan(plan, datetime.now())
    export_plaintext(vault, plan, "json", text, args, include_cpr=True)  # the whole plan
    return EXIT_OK


def add_purpose_arguments(parser: argparse.ArgumentParser, default: str = "other") -> None:
    parser.add_argument("--purpose", choices=PURPOSES, default=default, help=t("accesslog.help_purpose"))
    parser.add_argument("--purpose-text", default="", metavar="TEXT", help=t("accesslog.help_purpose_text"))


def cmd_log(args: argparse.Namespace) -> int:
    """The plan's entries in the access log; with a damaged log set aside (log-damaged-*),
    first the entries that could be read from it before the damage, marked as such: the log
    shows what it says it shows, and says what it cannot."""
    from kiptui.accesslog import GENESIS, format_table, plan_entries

    vault = unlock(args)
    plan_id = vault.find(args.plan)
    citizen = vault.read_index().get(plan_id, {}).get("citizen", "")
    log = vault.access_log
    aside = log.set_aside_logs()
    scan = log.scan()
    entries = plan_entries(scan.entries, plan_id)
    print(t("accesslog.title", citizen=_safe(citizen), plan=plan_id))
    print()
    for old in aside:
        print(t("accesslog.set_aside_title", file=old.name))
        print()
        if not old.entries:
            print(t("accesslog.set_aside_unreadable"))
        else:
            mine = plan_entries(old.entries, plan_id)
            print(format_table(mine) if mine else t("accesslog.empty"))
            print()
            print(t("accesslog.set_aside_footer", count=len(old.entries), digest=old.entries[-1].digest))
        print()
    if aside:
        print(t("accesslog.current_title"))
        print()
    print(format_table(entries) if entries else t("accesslog.empty"))
    print()
    last = scan.entries[-1].digest if scan.entries else GENESIS
    print(t("accesslog.footer", count=len(scan.entries), digest=last))
    if not scan.problems:
        return EXIT_OK
    for problem in scan.problems:
        print(f"{problem.file}: {problem.message}", file=sys.stderr)
    current_damaged = any(p.code != "set_aside" for p in scan.problems)
    print(t("accesslog.damaged_notice" if current_damaged else "accesslog.set_aside_shown_notice"),
          file=sys.stderr)
    return EXIT_DAMAGED


def cmd_json_import(args: argparse.Namespace) -> int:
    from kiptui.planjson import parse_plan

    raw = read_input_file(args.file)
    plan = parse_plan(raw)
    vault = unlock(args)
    existed = vault.plan_path(plan.id).exists()
    vault.import_plan(plan, replace=args.replace, source="json")
    key = "cli.plan_replaced" if existed else "cli.plan_imported"
    print(t(key, plan=plan.id, citizen=_safe(plan.citizen.name)))
    return EXIT_OK


def _meeting(plan: Any, number: int) -> Any:
    """Meeting no. `number` (1 = the first), or one clear line: 0, a negative number and one
    beyond the last are refused (0 gave the first meeting's minutes)."""
    if not plan.meetings:
        fail(t("minutes.no_meeting"), EXIT_INVALID_INPUT)
    if not 1 <= number <= len(plan.meetings):
        fail(t("cli.no_such_meeting", number=number, count=len(plan.meetings)), EXIT_INVALID_INPUT)
    return plan.meeting_number(number)


def _meeting_number(text: str) -> int:
    """--meeting's type: a whole number, or argparse's usage error in plain words."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.meeting_not_a_number", value=_safe(text))) from None


def cmd_minutes(args: argparse.Namespace) -> int:
    from kiptui.minutes import default_meeting, render_html, render_invitation, render_markdown

    vault = unlock(args)
    plan = vault.load_plan(vault.find(args.plan))
    meeting = default_meeting(plan) if args.meeting is None else _meeting(plan, args.meeting)
    number = plan.meetings.index(meeting) + 1
    as_of = None
    current = plan
    frozen = vault.frozen_plan(plan.id, meeting.id) if meeting.status == "closed" else None
    if frozen is not None and frozen.meeting(meeting.id) is not None:
        # a closed meeting's minutes exactly as they were when it was closed, with the
        # citizen's approvals recorded after the closing (from the plan as it is now)
        plan, meeting = frozen, frozen.meeting(meeting.id)
        as_of = meeting.closed_at
    if args.invitation:
        text = render_invitation(plan, meeting)
        title = t("cli.invitation_title", number=number)
    else:
        text = render_markdown(plan, meeting, now=datetime.now(), as_of=as_of, current=current)
        title = t("cli.minutes_title", number=number)
    if args.html:
        # the page title is printed in page headers: no name or CPR number in it
        text = render_html(text, title)
    fmt = ("invitation" if args.invitation else "minutes") + ("_html" if args.html else "")
    # the minutes of the command-line contract have the CPR number; the invitation never has
    export_plaintext(vault, plan, fmt, text, args, include_cpr=not args.invitation)
    return EXIT_OK


def check_target(path: Path, question_key: str, assume_yes: bool) -> None:
    """An export never writes over a file unasked (docs/SECURITY.md): a file, or a symbolic
    link, at `path` is replaced only after yes at the terminal or with --yes, and then the
    link itself is replaced (atomic_write), never the file it points to."""
    if path.is_dir():
        fail(t("cli.is_folder", path=str(path)), EXIT_INVALID_INPUT)
    if os.path.lexists(path) and not (path.is_symlink() or path.is_file()):
        # a device or a named pipe is never replaced by a file, not even with --yes
        fail(t("cli.not_a_file", path=str(path)), EXIT_INVALID_INPUT)
    if os.path.lexists(path) and not _ask_yes(t(question_key, path=str(path)), assume_yes):
        fail(t("cli.file_kept", path=str(path)), EXIT_INVALID_INPUT)


def _ask_yes(question: str, assume_yes: bool) -> bool:
    """A yes/no on the terminal; without a terminal only --yes says yes."""
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        return False
    try:
        answer = input(f"{question} [{t('cli.yes_short')}/{t('cli.no_short').upper()}] ")
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        return False
    return answer.strip().casefold() in (t("cli.yes_short"), t("cli.yes_word"), "y", "yes")


def cmd_bundle_export(args: argparse.Namespace) -> int:
    from kiptui.bundle import (
        check_passphrase_strength as bundle_strength,
        consent_gaps,
        export_bundle,
        generate_passphrase,
        read_passphrase_from_env,
    )

    vault = unlock(args)
    plan = vault.load_plan(vault.find(args.plan))
    for gap in consent_gaps(plan):
        print(f"kiptui: {t('cli.consent_warning')}: {gap}", file=sys.stderr)
        if not _ask_yes(t("cli.consent_continue"), args.yes):
            fail(t("cli.consent_stopped"), EXIT_INVALID_INPUT)
    given = read_passphrase_from_env()
    if given is not None:
        problem = bundle_strength(given)
        if problem:
            fail(t("cli.bundle_weak_passphrase", reason=t(problem)), EXIT_INVALID_INPUT)
        passphrase = given
    else:
        passphrase = generate_passphrase()
    out = Path(args.output)
    # a bundle written over an earlier one has another passphrase: the earlier passphrase,
    # maybe already given by phone, would open nothing
    check_target(out, "cli.bundle_replace_file", args.yes)
    # the CPR number only with --with-cpr (data minimisation, as F12's minutes and bundles)
    data = export_bundle(plan, passphrase, include_cpr=args.with_cpr)
    from kiptui import crypto

    def show_then_log() -> None:
        # All or nothing: the generated passphrase is shown (on stdout, flushed) before the
        # bundle gets its name and is logged. A passphrase that cannot be shown (a full disk
        # behind > FILE, a closed pipe) is stored nowhere, so nobody could open the bundle:
        # then there is no bundle and no log entry.
        if given is None:
            _show_passphrase(passphrase)
        log_bundle(vault, plan, out, args.purpose, args.purpose_text, include_cpr=args.with_cpr)

    try:
        # logged once the bundle is on the disk, before it has its name (as a plaintext export)
        crypto.atomic_write(out, data, before_replace=show_then_log)
    except _NotShown as err:
        fail(t("cli.bundle_passphrase_not_shown", path=str(out), reason=os_reason(err.error)))
    except OSError as err:
        fail(t("cli.cannot_write", path=str(out), reason=os_reason(err)))
    print(t("cli.bundle_written", path=str(out)), file=sys.stderr)
    return EXIT_OK


class _NotShown(Exception):
    """What was to be printed on stdout did not get there (`error`: the OSError)."""

    def __init__(self, error: OSError) -> None:
        self.error = error
        super().__init__(str(error))


def _show_passphrase(passphrase: str) -> None:
    """Print a generated bundle passphrase once on stdout and flush it, or raise _NotShown.
    Shown once, never stored: read it aloud over the phone, never in the same mail. The
    words before it go to stderr: before it on a terminal, after it has got through when
    stdout is a file or a pipe (a passphrase that never arrives is then one error line)."""
    on_terminal = sys.stdout.isatty()
    if on_terminal:
        print(t("cli.bundle_passphrase_intro"), file=sys.stderr)
    try:
        sys.stdout.write(passphrase + "\n")
        sys.stdout.flush()
    except OSError as err:
        _drop_stdout()
        raise _NotShown(err) from None
    if not on_terminal:
        print(t("cli.bundle_passphrase_intro"), file=sys.stderr)


def _drop_stdout() -> None:
    """After stdout failed (a full disk, a closed pipe): what is still buffered goes nowhere,
    so the interpreter's last flush cannot add a second error to the one line."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _bundle_passphrase() -> str:
    from kiptui.bundle import read_passphrase_from_env

    given = read_passphrase_from_env()
    if given is not None:
        return given
    if not sys.stdin.isatty():
        fail(t("cli.no_bundle_passphrase"), EXIT_USAGE)
    try:
        return getpass.getpass(t("cli.prompt_bundle_passphrase") + " ")
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        fail(t("cli.cancelled"))


def require_terminal(message_key: str, **params: Any) -> None:
    """The full-screen views need a terminal to draw in and to read keys from. With stdin or
    stdout not a terminal (`> file`, `| less`, `</dev/null`) Textual would still take over
    the terminal (it draws on stderr) and leave the file empty, or wait for keys that never
    come: one line and exit 2 instead."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail(t(message_key, **params), EXIT_USAGE)


def cmd_bundle_open(args: argparse.Namespace) -> int:
    from kiptui.bundle import check_age_file, open_bundle

    raw = read_input_file(args.file)
    check_age_file(raw)  # a file that is no bundle is said before a passphrase is asked for
    # a view on the screen only: the bundle's content is never written out (DESIGN.md)
    require_terminal("cli.bundle_open_needs_terminal")
    content = open_bundle(raw, _bundle_passphrase())
    from screens.bundle_view import BundleViewer

    BundleViewer(content, lang=args.lang, source=args.file).run()
    return EXIT_OK


def cmd_bundle_import(args: argparse.Namespace) -> int:
    from kiptui.bundle import open_bundle

    raw = read_input_file(args.file)
    content = open_bundle(raw, _bundle_passphrase())
    plan = content.plan
    vault = unlock(args)
    name = _safe(plan.citizen.name)
    if vault.plan_path(plan.id).exists():
        # the plan open for writing elsewhere is said first, before what would be replaced
        # or kept (which import_plan would then refuse): open it for writing, and let go
        probe = vault.open_plan(plan.id, log=False)
        try:
            mine = probe.plan
        finally:
            probe.close()
        if plan.version > mine.version:
            key = "cli.bundle_newer"
        elif plan.version < mine.version:
            key = "cli.bundle_older"
        else:
            key = "cli.bundle_same_version"
        print(t(key, citizen=name, theirs=plan.version, mine=mine.version), file=sys.stderr)
        if not _ask_yes(t("cli.bundle_replace_question"), args.yes):
            fail(t("cli.bundle_not_replaced"), EXIT_INVALID_INPUT)
        if not plan.citizen.cpr.strip() and mine.citizen.cpr.strip():
            # a bundle leaves the CPR number out unless its sender asked for it: the number
            # this vault already has for the citizen is kept, not emptied
            plan.citizen.cpr = mine.citizen.cpr
            print(t("cli.bundle_cpr_kept"), file=sys.stderr)
        vault.import_plan(plan, replace=True, source="bundle")
        print(t("cli.plan_replaced", plan=plan.id, citizen=name))
    else:
        vault.import_plan(plan, source="bundle")
        print(t("cli.plan_imported", plan=plan.id, citizen=name))
    return EXIT_OK


def cmd_passwd(args: argparse.Namespace) -> int:
    from kiptui.vault import check_passphrase_strength

    vault = unlock(args)
    new_env = passphrase_from_env("KIPTUI_NEW")
    if new_env is not None:
        new = new_env
    else:
        if not sys.stdin.isatty():
            fail(t("cli.no_new_passphrase"), EXIT_USAGE)
        new = ask_passphrase_tty_new()
    reason = check_passphrase_strength(new)
    if reason:
        fail(t(f"vault.{reason}"), EXIT_INVALID_INPUT)
    vault.change_passphrase(new)
    print(t("cli.passphrase_changed"))
    return EXIT_OK


def ask_passphrase_tty_new() -> str:
    try:
        first = getpass.getpass(t("cli.prompt_new_passphrase") + " ")
        second = getpass.getpass(t("cli.prompt_passphrase_again") + " ")
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        fail(t("cli.cancelled"))
    if first != second:
        fail(t("cli.passphrases_differ"), EXIT_INVALID_INPUT)
    return first


def cmd_verify(args: argparse.Namespace) -> int:
    vault = unlock(args)
    problems = vault.verify()
    n = len(vault.read_index())
    if not problems:
        print(t("cli.verify_ok", plans=n))
        return EXIT_OK
    for name, message in problems:
        print(f"{name}: {_verify_message(name, message)}", file=sys.stderr)
    print(t("cli.verify_failed", count=len(problems)), file=sys.stderr)
    return EXIT_DAMAGED


#: what a file that cannot be read says when another command meets it ("The file X is
#: damaged …. Nothing was changed."), and what verify says of it after "X: "
_VERIFY_WORDS = {
    "vault.damaged": "cli.verify_damaged",
    "vault.unsupported_version": "cli.verify_unsupported_version",
    "vault.wrong_vault": "cli.verify_wrong_vault",
}


def _verify_message(name: str, message: str) -> str:
    """verify's words for a problem of the file `name`: the file is named once, at the start
    of the line, and "Nothing was changed" (said when a command stops) is not said by a
    check that changes nothing anyway."""
    for key, verify_key in _VERIFY_WORDS.items():
        if message == t(key, file=name):
            return t(verify_key)
    return message


def _safe(text: str) -> str:
    from kiptui.textsafe import one_line

    return one_line(text)


def cmd_app(args: argparse.Namespace) -> int:
    require_terminal("cli.needs_terminal", command="kiptui")
    from screens.app import run_app

    return run_app(vault_path=vault_dir(args), lang=args.lang)


def cmd_review(args: argparse.Namespace) -> int:
    from kiptui.vault import Vault

    path = vault_dir(args)
    Vault.read_keyfile(path)  # a missing or damaged vault is said before the screen opens
    require_terminal("cli.needs_terminal", command="kiptui review")
    from screens.app import run_app

    return run_app(vault_path=path, lang=args.lang, review=args.plan)


def cmd_demo(args: argparse.Namespace) -> int:
    require_terminal("cli.needs_terminal", command="kiptui demo")
    from screens.app import run_demo

    return run_demo(lang=args.lang)


def cmd_follow(args: argparse.Namespace) -> int:
    """The chair's read-only view. With KIPTUI_PASSPHRASE(_FILE) set it unlocks and finds the
    plan here (scripts get an exit code); otherwise the view asks for the passphrase itself."""
    from kiptui.vault import Vault

    path = vault_dir(args)
    Vault.read_keyfile(path)
    vault, plan = None, args.plan
    passphrase = passphrase_from_env()
    if passphrase is not None:
        vault = Vault.unlock(path, passphrase)
        say_set_aside_logs()
        plan = vault.find(args.plan)
    require_terminal("cli.needs_terminal", command="kiptui follow")
    from screens.follow import run_follow

    return run_follow(path, plan, projector=args.projector, lang=args.lang, vault=vault)


# --------------------------------------------------------------------------- parser


#: argparse's own words that a user meets (help, usage errors), by their English text
_ARGPARSE_WORDS = {
    "usage: ": "cli.argparse.usage",
    "positional arguments": "cli.argparse.positional",
    "options": "cli.argparse.options",
    "show this help message and exit": "cli.argparse.help",
    "the following arguments are required: %s": "cli.argparse.required",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "expected one argument": "cli.argparse.expected_one",
    "invalid %(type)s value: %(value)r": "cli.argparse.invalid_value",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
    "not allowed with argument %s": "cli.argparse.not_allowed",
    "one of the arguments %s is required": "cli.argparse.one_of",
}


def _argparse_text(message: str) -> str:
    """argparse's gettext hook: its words in the chosen language (unknown ones as they are)."""
    key = _ARGPARSE_WORDS.get(message)
    return t(key) if key else message


argparse._ = _argparse_text  # type: ignore[attr-defined] # argparse looks `_` up when it speaks


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"kiptui: {t('cli.usage_error')}: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kiptui", description=t("cli.description"))
    p.add_argument("--version", action="version", version=f"kiptui {__version__}", help=t("cli.argparse.version"))
    p.add_argument("--vault", metavar="DIR", help=t("cli.help_vault"))
    p.add_argument("--lang", choices=["da", "en"], default=None, help=t("cli.help_lang"))
    p.set_defaults(func=cmd_app)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_key: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=t(help_key), description=t(help_key))
        sp.set_defaults(func=func)
        return sp

    add("demo", cmd_demo, "cli.help_demo")
    add("init", cmd_init, "cli.help_init")
    add("list", cmd_list, "cli.help_list")
    fo = add("follow", cmd_follow, "follow.cli_help")
    fo.add_argument("plan", metavar="PLAN", help=t("cli.help_plan"))
    fo.add_argument("--projector", action="store_true", help=t("follow.cli_help_projector"))
    sp = add("json", lambda a: _missing_sub(sp), "cli.help_json")
    jsub = sp.add_subparsers(dest="json_command", metavar="export|import", parser_class=_Parser)
    je = jsub.add_parser("export", help=t("cli.help_json_export"), description=t("cli.help_json_export"))
    je.add_argument("plan", metavar="PLAN", help=t("cli.help_plan"))
    je.add_argument("-o", "--output", metavar="FILE", help=t("cli.help_output"))
    je.add_argument("--yes", action="store_true", help=t("cli.help_yes_file"))
    add_purpose_arguments(je)
    je.set_defaults(func=cmd_json_export)
    ji = jsub.add_parser("import", help=t("cli.help_json_import"), description=t("cli.help_json_import"))
    ji.add_argument("file", metavar="FILE")
    ji.add_argument("--replace", action="store_true", help=t("cli.help_replace"))
    ji.set_defaults(func=cmd_json_import)
    mi = add("minutes", cmd_minutes, "cli.help_minutes")
    mi.add_argument("plan", metavar="PLAN", help=t("cli.help_plan"))
    mi.add_argument("--meeting", type=_meeting_number, metavar="N", help=t("cli.help_meeting"))
    mi.add_argument("--invitation", action="store_true", help=t("cli.help_invitation"))
    mi.add_argument("--html", action="store_true", help=t("cli.help_html"))
    mi.add_argument("-o", "--output", metavar="FILE", help=t("cli.help_output"))
    mi.add_argument("--yes", action="store_true", help=t("cli.help_yes_file"))
    add_purpose_arguments(mi)
    bu = add("bundle", lambda a: _missing_sub(bu), "cli.help_bundle")
    bsub = bu.add_subparsers(dest="bundle_command", metavar="export|open|import", parser_class=_Parser)
    be = bsub.add_parser("export", help=t("cli.help_bundle_export"), description=t("cli.help_bundle_export"))
    be.add_argument("plan", metavar="PLAN", help=t("cli.help_plan"))
    be.add_argument("-o", "--output", metavar="FILE", required=True, help=t("cli.help_bundle_output"))
    add_purpose_arguments(be, default="secure_mail")
    be.add_argument("--with-cpr", action="store_true", help=t("cli.help_with_cpr"))
    be.add_argument("--yes", action="store_true", help=t("cli.help_yes"))
    be.set_defaults(func=cmd_bundle_export)
    bo = bsub.add_parser("open", help=t("cli.help_bundle_open"), description=t("cli.help_bundle_open"))
    bo.add_argument("file", metavar="FILE")
    bo.set_defaults(func=cmd_bundle_open)
    bi = bsub.add_parser("import", help=t("cli.help_bundle_import"), description=t("cli.help_bundle_import"))
    bi.add_argument("file", metavar="FILE")
    bi.add_argument("--yes", action="store_true", help=t("cli.help_yes_replace"))
    bi.set_defaults(func=cmd_bundle_import)
    rv = add("review", cmd_review, "cli.help_review")
    rv.add_argument("plan", metavar="PLAN", help=t("cli.help_plan"))
    add("passwd", cmd_passwd, "cli.help_passwd")
    add("verify", cmd_verify, "cli.help_verify")
    lg = add("log", cmd_log, "accesslog.help_log")
    lg.add_argument("plan", metavar="PLAN", help=t("cli.help_plan"))
    return p


def _missing_sub(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _preparse_lang(argv: Sequence[str]) -> str:
    lang = os.environ.get("KIPTUI_LANG", "da")
    for n, a in enumerate(argv):
        if a == "--lang" and n + 1 < len(argv):
            lang = argv[n + 1]
        elif a.startswith("--lang="):
            lang = a.split("=", 1)[1]
    return lang if lang in ("da", "en") else "da"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(_preparse_lang(argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    args.lang = args.lang or _preparse_lang(argv)
    from kiptui.accesslog import take_set_aside_notices

    take_set_aside_notices()  # only what this command sets aside is its to say (main in a test process)
    try:
        return _run(args)
    finally:
        say_set_aside_logs()  # a log set aside after the unlock (at a later entry) is said too


def _run(args: argparse.Namespace) -> int:
    try:
        code = int(args.func(args) or 0)
        if sys.stdout is not None:
            sys.stdout.flush()  # what is still buffered fails here, not in the interpreter's exit
        return code
    except BrokenPipeError:
        # The reader of stdout is gone (`kiptui log PLAN | head -1`): the rest of the output
        # is not wanted, and the command ends quietly, as Unix tools do, with the exit code
        # of a process that SIGPIPE ends (128 + 13). Where a lost output is an error (the
        # passphrase of `bundle export`), the command itself says so.
        _drop_stdout()
        return EXIT_BROKEN_PIPE
    except CliError as err:
        print(f"kiptui: {err.message}", file=sys.stderr)
        return err.code
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 - the one place that turns errors into lines
        message, code = describe_error(err)
        print(f"kiptui: {message}", file=sys.stderr)
        return code


def describe_error(err: BaseException) -> tuple[str, int]:
    """One translated line and an exit code for any error a user can meet."""
    from kiptui.model import PlanError
    from kiptui.vault import VaultError

    if isinstance(err, VaultError):
        return err.message, _VAULT_EXIT.get(err.code, EXIT_ERROR)
    from kiptui.accesslog import AccessLogError

    if isinstance(err, AccessLogError):
        return err.message, EXIT_LOCKED if err.code == "busy" else EXIT_DAMAGED
    if isinstance(err, PlanError):
        return t(err.code, **err.params), EXIT_INVALID_INPUT
    try:
        from kiptui.planjson import PlanFormatError

        if isinstance(err, PlanFormatError):
            return str(err), EXIT_INVALID_INPUT
    except ImportError:
        pass
    try:
        from kiptui.bundle import BundleError

        if isinstance(err, BundleError):
            code = getattr(err, "code", "")
            # a passphrase file that cannot be read: the vault's passphrase file's code
            exit_code = {"wrong_passphrase": EXIT_WRONG_PASSPHRASE,
                         "passphrase_file": EXIT_ERROR}.get(code, EXIT_DAMAGED)
            return str(err), exit_code
    except ImportError:
        pass
    if isinstance(err, OSError):
        return t("cli.os_error", reason=os_reason(err)), EXIT_ERROR
    return t("cli.unexpected", kind=type(err).__name__), EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
