"""`kiptui bundle export/open/import` and `kiptui minutes` from the command line, and the
read-only bundle viewer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kiptui.bundle import open_bundle
from kiptui.planjson import load_plan_file
from kiptui.resources import data_path
from screens.bundle_view import BundleViewer
from tests.test_cli import PASS, assert_one_line_error, run
from tests.ui.harness import screen_text

BUNDLE_PASS = "fire-glade-heste-drikker-kaffe-ved-stranden"


@pytest.fixture
def vault(tmp_path: Path) -> dict[str, str]:
    env = {"KIPTUI_VAULT": str(tmp_path / "vault"), "KIPTUI_PASSPHRASE": PASS}
    assert run(["init"], env).returncode == 0
    assert run(["json", "import", str(data_path("demo-plan.json"))], env).returncode == 0
    return env


def demo_id() -> str:
    return json.loads(data_path("demo-plan.json").read_text(encoding="utf-8"))["plan"]["id"]


def test_generated_passphrase_shown_once_and_bundle_opens(tmp_path: Path, vault: dict[str, str]) -> None:
    out = tmp_path / "plan.kipbundle"
    proc = run(["bundle", "export", demo_id(), "-o", str(out)], vault)
    assert proc.returncode == 0, proc.stderr
    passphrase = proc.stdout.strip()
    assert len(passphrase.split("-")) >= 10  # ≥ 100 bits from the word list
    assert "sikker mail" in proc.stderr
    data = out.read_bytes()
    assert data.startswith(b"-----BEGIN AGE ENCRYPTED FILE-----")
    assert passphrase.encode() not in data
    content = open_bundle(data, passphrase)
    assert content.plan.id == demo_id()
    assert content.minutes_markdown.startswith("# ")
    # the passphrase is never stored: not in the vault, not in the log
    for p in Path(vault["KIPTUI_VAULT"]).rglob("*"):
        if p.is_file():
            assert passphrase.encode() not in p.read_bytes()
    log = run(["log", demo_id()], vault)
    assert log.returncode == 0 and "plan.kipbundle" in log.stdout


def test_import_into_another_vault_and_replace_only_when_asked(tmp_path: Path, vault: dict[str, str]) -> None:
    out = tmp_path / "plan.kipbundle"
    env = dict(vault, KIPTUI_BUNDLE_PASSPHRASE=BUNDLE_PASS)
    assert run(["bundle", "export", demo_id(), "-o", str(out)], env).returncode == 0
    other = {"KIPTUI_VAULT": str(tmp_path / "other"), "KIPTUI_PASSPHRASE": PASS,
             "KIPTUI_BUNDLE_PASSPHRASE": BUNDLE_PASS}
    assert run(["init"], other).returncode == 0
    proc = run(["bundle", "import", str(out)], other)
    assert proc.returncode == 0, proc.stderr
    assert demo_id() in run(["list"], other).stdout
    # again: the same version exists; without a terminal only --yes replaces
    proc = run(["bundle", "import", str(out)], other, stdin="")
    assert proc.returncode == 7 and "Traceback" not in proc.stderr
    assert "samme version" in proc.stderr  # newer / older / same is said first
    assert "--yes" in proc.stderr.splitlines()[-1]
    proc = run(["bundle", "import", str(out), "--yes"], other)
    assert proc.returncode == 0, proc.stderr
    assert "samme version" in proc.stderr


def test_wrong_bundle_passphrase_and_tampered_file(tmp_path: Path, vault: dict[str, str]) -> None:
    out = tmp_path / "plan.kipbundle"
    env = dict(vault, KIPTUI_BUNDLE_PASSPHRASE=BUNDLE_PASS)
    assert run(["bundle", "export", demo_id(), "-o", str(out)], env).returncode == 0
    wrong = dict(vault, KIPTUI_BUNDLE_PASSPHRASE="helt-forkert-frase-her-til-pakken")
    assert_one_line_error(run(["bundle", "import", str(out)], wrong), 3)
    lines = out.read_text().splitlines()
    middle = list(lines[5])
    middle[10] = "A" if middle[10] != "A" else "B"
    lines[5] = "".join(middle)
    out.write_text("\n".join(lines) + "\n")
    assert_one_line_error(run(["bundle", "import", str(out)], env), 4)


def test_a_bundle_is_not_written_over_an_earlier_one_unless_asked(tmp_path: Path, vault: dict[str, str]) -> None:
    """Found by a review: a second export to the same file replaced it with a new passphrase,
    and the one already given opened nothing. Now only with --yes (or Ja at the prompt)."""
    out = tmp_path / "plan.kipbundle"
    env = dict(vault, KIPTUI_BUNDLE_PASSPHRASE=BUNDLE_PASS)
    assert run(["bundle", "export", demo_id(), "-o", str(out)], env).returncode == 0
    before = out.read_bytes()
    again = dict(vault, KIPTUI_BUNDLE_PASSPHRASE="en-anden-frase-til-den-samme-fil-nu")
    line = assert_one_line_error(run(["bundle", "export", demo_id(), "-o", str(out)], again), 7)
    assert "ikke erstattet" in line and out.read_bytes() == before
    assert run(["bundle", "export", demo_id(), "-o", str(out), "--yes"], again).returncode == 0
    assert out.read_bytes() != before
    assert "er en mappe" in assert_one_line_error(run(["bundle", "export", demo_id(), "-o", str(tmp_path)], env), 7)


def test_what_is_not_a_bundle_is_said_before_a_passphrase_is_asked(tmp_path: Path, vault: dict[str, str]) -> None:
    """Found by a review: a file that was no bundle asked for the passphrase first; a folder
    was said not to exist."""
    not_bundle = tmp_path / "referat.html"
    not_bundle.write_text("<!DOCTYPE html><p>referat</p>", encoding="utf-8")
    env = {k: v for k, v in vault.items() if k != "KIPTUI_BUNDLE_PASSPHRASE"}
    line = assert_one_line_error(run(["bundle", "open", str(not_bundle)], env), 4)
    assert "age" in line  # not "no passphrase given"
    assert "er en mappe" in assert_one_line_error(run(["bundle", "open", str(tmp_path)], env), 7)


def test_weak_given_bundle_passphrase_refused(tmp_path: Path, vault: dict[str, str]) -> None:
    env = dict(vault, KIPTUI_BUNDLE_PASSPHRASE="kort")
    assert_one_line_error(run(["bundle", "export", demo_id(), "-o", str(tmp_path / "x")], env), 7)
    assert not (tmp_path / "x").exists()


def test_consent_gate(tmp_path: Path, vault: dict[str, str]) -> None:
    doc = json.loads(data_path("demo-plan.json").read_text(encoding="utf-8"))
    doc["plan"]["consent"]["withdrawn_on"] = "2026-11-01"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert run(["json", "import", str(changed), "--replace"], vault).returncode == 0
    out = tmp_path / "plan.kipbundle"
    env = dict(vault, KIPTUI_BUNDLE_PASSPHRASE=BUNDLE_PASS)
    proc = run(["bundle", "export", demo_id(), "-o", str(out)], env, stdin="")
    assert proc.returncode == 7 and not out.exists()
    assert "trak sit samtykke tilbage" in proc.stderr
    proc = run(["bundle", "export", demo_id(), "-o", str(out), "--yes"], env)
    assert proc.returncode == 0 and out.exists()


def test_minutes_and_invitation_to_stdout_and_file(tmp_path: Path, vault: dict[str, str]) -> None:
    proc = run(["minutes", demo_id(), "--meeting", "1"], vault)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# Referat")
    assert "ukrypteret" in proc.stderr
    out = tmp_path / "referat.html"
    proc = run(["minutes", demo_id(), "--html", "-o", str(out)], vault)
    assert proc.returncode == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    plan = load_plan_file(data_path("demo-plan.json"))
    assert plan.citizen.name not in page.split("<title>")[1].split("</title>")[0]
    inv = run(["minutes", demo_id(), "--invitation", "--meeting", "2"], vault)
    assert inv.returncode == 0 and "Invitation" in inv.stdout
    assert_one_line_error(run(["minutes", demo_id(), "--meeting", "9"], vault), 7)


@pytest.mark.skipif(shutil.which("age") is None, reason="the age tool is not installed")
def test_cli_bundle_opens_with_real_age(tmp_path: Path, vault: dict[str, str]) -> None:
    from tests.agefiles import run_with_tty

    out = tmp_path / "plan.kipbundle"
    env = dict(vault, KIPTUI_BUNDLE_PASSPHRASE=BUNDLE_PASS)
    assert run(["bundle", "export", demo_id(), "-o", str(out)], env).returncode == 0
    clear = tmp_path / "clear.json"
    code, _ = run_with_tty(["age", "-d", "-o", str(clear), str(out)], [BUNDLE_PASS])
    assert code == 0
    assert json.loads(clear.read_text(encoding="utf-8"))["plan"]["id"] == demo_id()


async def test_bundle_viewer_shows_minutes_read_only(tmp_path: Path) -> None:
    from kiptui.bundle import export_bundle

    plan = load_plan_file(data_path("demo-plan.json"))
    plan.meetings[0].summary = "[@click=app.quit]x[/] \x1b]52;c;SGVsbG8=\x07 [TODO]"
    content = open_bundle(export_bundle(plan, BUNDLE_PASS), BUNDLE_PASS)
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    app = BundleViewer(content, source="plan.kipbundle")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Modtaget pakke" in text and plan.citizen.name in text
        assert plan.citizen.cpr not in text
        assert "palette" not in text  # Textual's English word in the footer (found by a review)
        await pilot.press("pagedown", "end")
        await pilot.pause()
        assert app.is_running
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before


def export_entries(vault: dict[str, str]) -> list[str]:
    """The lines of `kiptui log` that are exports or bundles."""
    log = run(["log", demo_id()], vault)
    assert log.returncode == 0, log.stderr
    return [line for line in log.stdout.splitlines() if "eksporteret" in line or "pakke lavet" in line]


def test_an_export_that_cannot_be_written_is_not_logged(tmp_path: Path, vault: dict[str, str]) -> None:
    """Found by an IT-security review: `kiptui minutes -o` logged the export, then failed to
    write it (no such folder, read only, a full disk): the access log held an export that
    never happened. Written to a temp file first, then logged, then given its name."""
    missing = tmp_path / "findes-ikke"
    env = dict(vault, KIPTUI_BUNDLE_PASSPHRASE=BUNDLE_PASS)
    for args in (["minutes", demo_id(), "-o", str(missing / "referat.md")],
                 ["json", "export", demo_id(), "-o", str(missing / "plan.json")],
                 ["bundle", "export", demo_id(), "-o", str(missing / "plan.kipbundle")]):
        line = assert_one_line_error(run(args, env), 1)
        assert "Kan ikke skrive" in line, args
    assert export_entries(vault) == []
    assert run(["minutes", demo_id(), "-o", str(tmp_path / "referat.md")], vault).returncode == 0
    [entry] = export_entries(vault)
    assert str(tmp_path / "referat.md") in entry


def test_an_export_whose_log_entry_fails_never_gets_its_name(tmp_path: Path, vault: dict[str, str],
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """And the other way round: nothing, plaintext or bundle, reaches its name unlogged (the
    command line's bundle was written first and logged after)."""
    import errno

    from kiptui import cli
    from kiptui.vault import Vault

    for key, value in dict(vault, KIPTUI_BUNDLE_PASSPHRASE=BUNDLE_PASS).items():
        monkeypatch.setenv(key, value)
    real = Vault.log_event

    def log_fails(self: Vault, action: str, *args: object, **kwargs: object) -> None:
        if action in ("export", "bundle"):
            raise OSError(errno.ENOSPC, "log full")
        real(self, action, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Vault, "log_event", log_fails)
    out = tmp_path / "ud"
    out.mkdir()
    for args in (["minutes", demo_id(), "-o", str(out / "referat.md")],
                 ["json", "export", demo_id(), "-o", str(out / "plan.json")],
                 ["bundle", "export", demo_id(), "-o", str(out / "plan.kipbundle")]):
        assert cli.main(args) != 0, args
        assert list(out.iterdir()) == [], args
    capsys.readouterr()


def test_plaintext_exports_never_replace_a_file_unasked_nor_write_through_a_link(
        tmp_path: Path, vault: dict[str, str]) -> None:
    """Found by an IT-security review: `kiptui minutes -o FILE` wrote over any existing file
    without a question, and through a symbolic link into the file it points to. An existing
    name (a link too) is now kept unless --yes is given (or yes at the terminal); with --yes
    the link itself is replaced and the file it points to is left alone."""
    earlier = tmp_path / "referat.md"
    earlier.write_text("tidligere referat\n", encoding="utf-8")
    elsewhere = tmp_path / "andetsteds.txt"
    elsewhere.write_text("en anden fil\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(elsewhere)
    dangling = tmp_path / "dingler.json"
    dangling.symlink_to(tmp_path / "findes-ikke.json")
    for args, target in ((["minutes", demo_id(), "-o", str(earlier)], earlier),
                         (["minutes", demo_id(), "--html", "-o", str(link)], link),
                         (["json", "export", demo_id(), "-o", str(dangling)], dangling)):
        line = assert_one_line_error(run(args, vault, stdin=""), 7)
        assert "findes allerede" in line and "--yes" in line and "svar ja" not in line, line
    assert earlier.read_text(encoding="utf-8") == "tidligere referat\n"
    assert elsewhere.read_text(encoding="utf-8") == "en anden fil\n"
    assert link.is_symlink() and dangling.is_symlink() and not (tmp_path / "findes-ikke.json").exists()
    assert export_entries(vault) == []  # nothing written, nothing logged
    for args in (["minutes", demo_id(), "-o", str(earlier), "--yes"],
                 ["minutes", demo_id(), "--html", "-o", str(link), "--yes"],
                 ["json", "export", demo_id(), "-o", str(dangling), "--yes"]):
        proc = run(args, vault)
        assert proc.returncode == 0, proc.stderr
    assert earlier.read_text(encoding="utf-8").startswith("# Referat")
    assert not link.is_symlink() and link.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert elsewhere.read_text(encoding="utf-8") == "en anden fil\n"
    assert not dangling.is_symlink() and json.loads(dangling.read_text(encoding="utf-8"))["plan"]["id"] == demo_id()
    assert not (tmp_path / "findes-ikke.json").exists()
    for path in (earlier, link, dangling):
        assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert len(export_entries(vault)) == 3


def test_an_empty_output_name_and_a_special_file_are_refused(tmp_path: Path, vault: dict[str, str]) -> None:
    """Found by a review: `-o "$OUT"` with OUT unset sent the whole plan (CPR number and all)
    to the script's output, logged; and --yes replaced a named pipe (as root, /dev/null would
    go the same way) with a file. Both are refused, nothing is logged."""
    import os

    for args in (["minutes", demo_id(), "-o", ""], ["json", "export", demo_id(), "-o", " "]):
        proc = run(args, vault)
        line = assert_one_line_error(proc, 7)
        assert "tomt" in line and "010190" not in proc.stdout, line
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    line = assert_one_line_error(run(["minutes", demo_id(), "-o", str(fifo), "--yes"], vault), 7)
    assert "ikke en almindelig fil" in line
    assert fifo.is_fifo()
    assert export_entries(vault) == []


def test_bundle_export_says_what_yes_does_and_asks_nothing_it_cannot(tmp_path: Path, vault: dict[str, str]) -> None:
    """Found by the same review: --yes both overrides the consent check and replaces the file,
    but its help named only the first; without a terminal the refusal said "svar ja (--yes)"
    though no question had been asked."""
    shown = run(["bundle", "export", "--help"]).stdout
    help_yes = " ".join(shown.split("--yes", 1)[1].split())
    assert "samtykket" in help_yes and "erstat en eksisterende fil" in help_yes
    out = tmp_path / "plan.kipbundle"
    out.write_text("en tidligere pakke\n", encoding="utf-8")
    line = assert_one_line_error(
        run(["bundle", "export", demo_id(), "-o", str(out)], dict(vault, KIPTUI_BUNDLE_PASSPHRASE=BUNDLE_PASS), stdin=""), 7)
    assert "svar ja" not in line and "findes allerede" in line and "--yes" in line
    assert out.read_text(encoding="utf-8") == "en tidligere pakke\n"


def cheap_bundle(tmp_path: Path) -> Path:
    """The demo plan as a bundle with a cheap scrypt work factor (opens in milliseconds)."""
    from kiptui.bundle import bundle_payload
    from tests.agefiles import make_scrypt_file

    bundle = tmp_path / "plan.kipbundle"
    bundle.write_bytes(make_scrypt_file(bundle_payload(load_plan_file(data_path("demo-plan.json"))),
                                        BUNDLE_PASS, log_n=10))
    return bundle


def test_a_missing_bundle_passphrase_file_is_said_like_the_vaults(tmp_path: Path, vault: dict[str, str]) -> None:
    """Found by an IT-security review: a KIPTUI_BUNDLE_PASSPHRASE_FILE that does not exist
    exited 4, the code of a damaged file. It is said as the vault's passphrase file is: the
    same wording, in Danish, and the same exit code."""
    bundle = cheap_bundle(tmp_path)
    nowhere = str(tmp_path / "ingen-frase")
    vault_line = assert_one_line_error(run(["list"], dict(vault, KIPTUI_PASSPHRASE_FILE=nowhere)), 1)
    line = assert_one_line_error(run(["bundle", "import", str(bundle)], dict(vault, KIPTUI_BUNDLE_PASSPHRASE_FILE=nowhere)), 1)
    assert line == vault_line.replace("adgangsfrasen", "pakkens adgangsfrase"), line
    assert "mappen eller filen findes ikke" in line


def test_minutes_of_a_meeting_that_does_not_exist_are_refused(vault: dict[str, str]) -> None:
    """Found by an IT-security review: `--meeting 0` gave meeting 1's minutes (exit 0); a
    word gave argparse's "ugyldig værdi (int): 'abc'"."""
    count = len(load_plan_file(data_path("demo-plan.json")).meetings)
    for number in ("0", "-1", str(count + 1)):
        proc = run(["minutes", demo_id(), "--meeting", number], vault)
        line = assert_one_line_error(proc, 7)
        assert f"Mødet nr. {number} findes ikke" in line and f"1 til {count}" in line, line
        assert proc.stdout == ""
    proc = run(["minutes", demo_id(), "--meeting", "abc"], vault)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "skal være et helt tal" in proc.stderr and "»abc«" in proc.stderr and "(int)" not in proc.stderr


def test_bundle_open_without_a_terminal_says_so_and_writes_nothing(tmp_path: Path, vault: dict[str, str]) -> None:
    """Found by an IT-security review: `kiptui bundle open FILE > x.txt` took over the terminal
    and left x.txt empty; with `</dev/null` it waited until killed. The view is for the
    screen only (nothing of a bundle is written out): without a terminal, one line, exit 2."""
    import shlex
    import sys

    from tests.agefiles import run_with_tty
    from tests.test_cli import ROOT

    bundle = cheap_bundle(tmp_path)
    env = dict(vault, KIPTUI_BUNDLE_PASSPHRASE=BUNDLE_PASS)
    line = assert_one_line_error(run(["bundle", "open", str(bundle)], env, stdin=""), 2)
    assert "kiptui bundle open viser pakken i terminalen" in line and "kiptui bundle import" in line
    out = tmp_path / "x.txt"
    command = (f"cd {shlex.quote(str(ROOT))} && exec env KIPTUI_BUNDLE_PASSPHRASE={shlex.quote(BUNDLE_PASS)} "
               f"{shlex.quote(sys.executable)} -m kiptui.cli bundle open {shlex.quote(str(bundle))}")
    for redirect in (f"> {shlex.quote(str(out))}", "< /dev/null"):
        code, shown = run_with_tty(["sh", "-c", f"{command} {redirect}"], [], timeout=30)
        assert code == 2, (redirect, shown[-300:])
        assert "viser pakken i terminalen".encode() in shown and b"\x1b[?1049h" not in shown, redirect
    assert out.read_text(encoding="utf-8") == ""


def test_the_terminal_apps_say_they_need_a_terminal(vault: dict[str, str]) -> None:
    """The same for the referent's app, the demo, the review and the chair's view: without a
    terminal they waited for keys that never came. Errors a script can act on (a wrong
    passphrase, an unknown plan) still come first, with their own exit codes."""
    for args in ([], ["demo"], ["review", demo_id()], ["follow", demo_id()]):
        line = assert_one_line_error(run(args, vault, stdin=""), 2)
        assert "er et program til terminalen" in line and f"kiptui {' '.join(args[:1])}".strip() in line, args
    assert_one_line_error(run(["follow", "ingen-sådan-plan"], vault, stdin=""), 6)


def log_lines(vault: dict[str, str], words: str) -> list[str]:
    log = run(["log", demo_id()], vault)
    assert log.returncode == 0, log.stderr
    return [line for line in log.stdout.splitlines() if words in line]


def test_bundle_export_leaves_the_cpr_number_out_unless_asked_and_the_log_says_which(
        tmp_path: Path, vault: dict[str, str]) -> None:
    """Found by an IT-security review: the bundle always carried the full CPR number, to
    relatives too. `bundle export` now leaves it out (the plan's citizen.cpr is empty, the
    minutes have none) unless --with-cpr; the access log says for every export whether the
    CPR number went with it, and `kiptui log` says it in words."""
    cpr = load_plan_file(data_path("demo-plan.json")).citizen.cpr
    assert cpr
    env = dict(vault, KIPTUI_BUNDLE_PASSPHRASE=BUNDLE_PASS)
    without, with_cpr = tmp_path / "uden.kipbundle", tmp_path / "med.kipbundle"
    assert run(["bundle", "export", demo_id(), "-o", str(without)], env).returncode == 0
    assert run(["bundle", "export", demo_id(), "-o", str(with_cpr), "--with-cpr"], env).returncode == 0
    content = open_bundle(without.read_bytes(), BUNDLE_PASS)
    assert content.plan.citizen.cpr == "" and cpr not in content.minutes_markdown + content.minutes_html
    assert open_bundle(with_cpr.read_bytes(), BUNDLE_PASS).plan.citizen.cpr == cpr
    assert run(["minutes", demo_id(), "-o", str(tmp_path / "referat.md")], vault).returncode == 0
    assert run(["minutes", demo_id(), "--invitation", "-o", str(tmp_path / "invitation.md")], vault).returncode == 0
    [bundle_without] = log_lines(vault, "uden.kipbundle")
    [bundle_with] = log_lines(vault, "med.kipbundle")
    [minutes] = log_lines(vault, "referat.md")
    [invitation] = log_lines(vault, "invitation.md")
    assert "uden CPR-nummer" in bundle_without and "med CPR-nummer" in bundle_with
    assert "med CPR-nummer" in minutes and "uden CPR-nummer" in invitation
    assert "--with-cpr" in run(["bundle", "export", "--help"]).stdout


def test_a_bundle_without_the_cpr_number_opens_and_imports_calmly(tmp_path: Path, vault: dict[str, str]) -> None:
    """Opening or importing such a bundle says nothing alarming; imported over the plan the
    receiver already has, it does not empty the CPR number the receiver has."""
    env = dict(vault, KIPTUI_BUNDLE_PASSPHRASE=BUNDLE_PASS)
    out = tmp_path / "plan.kipbundle"
    assert run(["bundle", "export", demo_id(), "-o", str(out)], env).returncode == 0
    cpr = load_plan_file(data_path("demo-plan.json")).citizen.cpr
    proc = run(["bundle", "import", str(out), "--yes"], env)  # over the plan with the CPR number
    assert proc.returncode == 0, proc.stderr
    assert "beholdes" in proc.stderr and "Traceback" not in proc.stderr
    assert json.loads(run(["json", "export", demo_id()], vault).stdout)["plan"]["citizen"]["cpr"] == cpr
    other = {"KIPTUI_VAULT": str(tmp_path / "other"), "KIPTUI_PASSPHRASE": PASS,
             "KIPTUI_BUNDLE_PASSPHRASE": BUNDLE_PASS}
    assert run(["init"], other).returncode == 0
    proc = run(["bundle", "import", str(out)], other)  # into a vault without the plan
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert json.loads(run(["json", "export", demo_id()], other).stdout)["plan"]["citizen"]["cpr"] == ""


def run_with_stdout(args: list[str], env_extra: dict[str, str], stdout: object) -> tuple[int, str]:
    """`kiptui ARGS` with its stdout given (a file object, or "closed": a pipe whose reader is
    gone before anything is written); the exit code and stderr."""
    import os
    import subprocess
    import sys

    from tests.test_cli import ROOT

    env = {k: v for k, v in os.environ.items() if not k.startswith("KIPTUI_")}
    env.update(env_extra)
    if stdout == "closed":
        proc = subprocess.Popen([sys.executable, "-m", "kiptui.cli", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
        assert proc.stdout is not None
        proc.stdout.close()  # like `| head -0`: the reader is gone
        _, err = proc.communicate(timeout=120)
        return proc.returncode, err
    done = subprocess.run([sys.executable, "-m", "kiptui.cli", *args], stdout=stdout, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, text=True, env=env, cwd=ROOT, timeout=120)
    return done.returncode, done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_bundle_whose_passphrase_cannot_be_shown_is_neither_written_nor_logged(
        tmp_path: Path, vault: dict[str, str]) -> None:
    """Found by an IT-security review: `bundle export … > /dev/full` said the disk was full,
    but the bundle was on the disk and logged, and its generated passphrase shown nowhere and
    stored nowhere: a bundle nobody can open. All or nothing: the passphrase reaches stdout
    (flushed) before the bundle gets its name and is logged; a full disk or a closed pipe
    leaves no bundle and no log entry, and says so in one line."""
    out = tmp_path / "plan.kipbundle"
    args = ["bundle", "export", demo_id(), "-o", str(out)]
    with open("/dev/full", "w") as full:
        code, err = run_with_stdout(args, vault, full)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 1 and len(lines) == 1 and "Traceback" not in err, err
    assert lines[0] == (f"kiptui: Pakken er ikke skrevet til {out}, for dens adgangsfrase kunne ikke vises: "
                        "der er ikke mere plads på disken. Uden adgangsfrasen kan ingen åbne pakken; intet er logget."), err
    code, err = run_with_stdout(["--lang", "en", *args], vault, "closed")
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 1 and len(lines) == 1 and "Traceback" not in err, err
    assert "its passphrase could not be shown: the receiver of the output has closed it" in lines[0], err
    assert list(tmp_path.iterdir()) == [tmp_path / "vault"]  # no bundle, no temp file
    assert export_entries(vault) == []
    # and when it gets through, the bundle is there and logged
    with open(tmp_path / "frase.txt", "w") as shown:
        code, err = run_with_stdout(args, vault, shown)
    assert code == 0, err
    passphrase = (tmp_path / "frase.txt").read_text().strip()
    assert open_bundle(out.read_bytes(), passphrase).plan.id == demo_id()
    assert len(export_entries(vault)) == 1


def test_a_plan_open_elsewhere_is_said_before_what_an_import_would_keep(tmp_path: Path, vault: dict[str, str]) -> None:
    """Found by an IT-security review: `bundle import --yes` while the plan was open for
    writing elsewhere said which version was newer and that the CPR number would be kept,
    and only then that the plan was locked (exit 5). The lock is said first, alone."""
    from kiptui.bundle import bundle_payload, without_cpr
    from kiptui.vault import Vault
    from tests.agefiles import make_scrypt_file

    bundle = tmp_path / "uden-cpr.kipbundle"
    plan = without_cpr(load_plan_file(data_path("demo-plan.json")))
    bundle.write_bytes(make_scrypt_file(bundle_payload(plan), BUNDLE_PASS, log_n=10))
    env = dict(vault, KIPTUI_BUNDLE_PASSPHRASE=BUNDLE_PASS)
    mine = Vault.unlock(Path(vault["KIPTUI_VAULT"]), PASS)
    handle = mine.open_plan(demo_id())  # the referent has it open
    try:
        line = assert_one_line_error(run(["bundle", "import", str(bundle), "--yes"], env), 5)
        assert "beholdes" not in line and "version" not in line, line
    finally:
        handle.close()
    proc = run(["bundle", "import", str(bundle), "--yes"], env)  # let go: it imports, keeping the CPR number
    assert proc.returncode == 0 and "beholdes" in proc.stderr, proc.stderr


def test_verify_names_a_damaged_file_once_and_changes_nothing_it_would_say(vault: dict[str, str]) -> None:
    """Found by an IT-security review: `verify` on a truncated plan said 'X.kip: Filen X.kip
    er beskadiget … Intet er ændret.': the name twice, and "nothing was changed" from a check."""
    [plan_file] = (Path(vault["KIPTUI_VAULT"]) / "plans").glob("*.kip")
    plan_file.write_bytes(plan_file.read_bytes()[:100])
    proc = run(["verify"], vault)
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [f"{plan_file.name}: beskadiget eller ændret uden for kiptui.",
                                        "1 problem fundet."], proc.stderr
    english = run(["--lang", "en", "verify"], vault).stderr.splitlines()
    assert english[0] == f"{plan_file.name}: damaged or altered outside kiptui.", english


def test_a_vault_path_that_is_a_file_is_said_as_such(tmp_path: Path) -> None:
    """Found by an IT-security review: `kiptui --vault A_FILE init` said 'Fejl fra
    styresystemet: filen findes allerede', without the path or that it is a file."""
    a_file = tmp_path / "noter.txt"
    a_file.write_text("mine noter\n", encoding="utf-8")
    for args in (["--vault", str(a_file), "init"], ["--vault", str(a_file), "list"]):
        line = assert_one_line_error(run(args, {"KIPTUI_PASSPHRASE": PASS}), 1)
        assert line == f"kiptui: {a_file} er en fil, ikke en mappe: boksen er en mappe. Angiv boksens mappe " \
                       "med --vault eller KIPTUI_VAULT (til en ny boks: en mappe, der ikke findes endnu).", line
    line = assert_one_line_error(run(["--lang", "en", "init"], {"KIPTUI_PASSPHRASE": PASS,
                                                               "KIPTUI_VAULT": str(a_file)}), 1)
    assert f"{a_file} is a file, not a folder" in line
    assert a_file.read_text(encoding="utf-8") == "mine noter\n"


def test_a_bundle_without_the_cpr_field_still_carries_cpr_numbers_typed_into_text(tmp_path: Path) -> None:
    """docs/SECURITY.md says exactly what a bundle without --with-cpr leaves out: the citizen's
    CPR field, nothing else. A number typed into free text goes with the plan (found by an
    IT-security review: the page said the minutes "have none")."""
    from kiptui.bundle import export_bundle
    from tests.test_cli import ROOT

    plan = load_plan_file(data_path("demo-plan.json"))
    cpr = plan.citizen.cpr
    plan.citizen.notes = f"Borgerens CPR-nr. er {cpr}"
    content = open_bundle(export_bundle(plan, BUNDLE_PASS), BUNDLE_PASS)
    assert content.plan.citizen.cpr == "" and cpr in content.plan.citizen.notes
    doc = " ".join((ROOT / "docs" / "SECURITY.md").read_text(encoding="utf-8").split())
    assert "minutes have none" not in doc
    assert "**Not removed:** a CPR number (the citizen's or anyone else's) typed into free text" in doc
