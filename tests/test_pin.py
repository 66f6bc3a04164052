"""Staff PIN hashing, verification, the lockout state file and the hash-pin command."""

import io
import json
import logging
import os
from pathlib import Path

import pytest

from kiosk.pin import PinLockout, hash_pin, parse_pin_hash, run_hash_pin, verify_pin

SALT = bytes(range(16))


# Hashing


def test_hash_has_the_documented_format():
    encoded = hash_pin("1234", salt=SALT)
    scheme, n, r, p, salt, _ = encoded.split("$")
    assert (scheme, n, r, p, salt) == ("scrypt", "16384", "8", "1", "AAECAwQFBgcICQoLDA0ODw")
    assert len(parse_pin_hash(encoded).digest) == 32


def test_same_pin_and_salt_give_the_same_hash():
    assert hash_pin("123456", salt=SALT) == hash_pin("123456", salt=SALT)


def test_hash_verifies():
    encoded = hash_pin("4711")
    assert verify_pin("4711", encoded)


def test_wrong_pin_fails():
    encoded = hash_pin("4711")
    assert not verify_pin("4712", encoded)
    assert not verify_pin("47110", encoded)


def test_two_hashes_of_one_pin_differ():
    first, second = hash_pin("0000"), hash_pin("0000")
    assert first != second
    assert verify_pin("0000", first) and verify_pin("0000", second)


@pytest.mark.parametrize("pin", ["123", "1234567890123", "12a4", " 1234", "1234\n", "١٢٣٤", ""])
def test_invalid_pins_are_refused(pin):
    with pytest.raises(ValueError, match=r"^a PIN must be 4 to 12 digits \(0-9\)$"):
        hash_pin(pin)


def test_pin_lengths_at_the_limits_are_accepted():
    assert verify_pin("1234", hash_pin("1234"))
    assert verify_pin("123456789012", hash_pin("123456789012"))


def test_salt_must_be_16_bytes():
    with pytest.raises(ValueError, match="the salt must be 16 bytes, got 8"):
        hash_pin("1234", salt=bytes(8))


GOOD = hash_pin("2580", salt=SALT)
_, _, _, _, GOOD_SALT, GOOD_DIGEST = GOOD.split("$")


@pytest.mark.parametrize(
    ("encoded", "reason"),
    [
        ("", r"expected scrypt\$16384\$8\$1\$<salt>\$<hash>"),
        ("2580", r"expected scrypt"),
        (GOOD.replace("scrypt$", "bcrypt$"), r"expected scrypt"),
        (GOOD + "$extra", r"expected scrypt"),
        (GOOD.replace("$16384$", "$1048576$"), r"unsupported scrypt parameters 1048576\$8\$1, expected 16384\$8\$1"),
        (GOOD.replace("$8$1$", "$8$x$"), r"unsupported scrypt parameters"),
        (f"scrypt$16384$8$1$not base64!${GOOD_DIGEST}", r"the salt is not URL-safe base64"),
        (f"scrypt$16384$8$1${GOOD_SALT}$", r"the hash is not URL-safe base64"),
        (f"scrypt$16384$8$1$AAAA${GOOD_DIGEST}", r"the salt must be 16 bytes, got 3"),
        (f"scrypt$16384$8$1${GOOD_SALT}$AAAA", r"the hash must be 32 bytes, got 3"),
    ],
)
def test_malformed_hashes(encoded, reason):
    with pytest.raises(ValueError, match=reason):
        parse_pin_hash(encoded)
    assert verify_pin("2580", encoded) is False


def test_padded_base64_is_accepted():
    padded = GOOD.replace(GOOD_SALT, GOOD_SALT + "==")
    assert verify_pin("2580", padded)


def test_verify_with_malformed_pin_is_false_not_an_error():
    assert verify_pin("25a0", GOOD) is False
    assert verify_pin(None, GOOD) is False  # type: ignore[arg-type]


# Lockout


@pytest.fixture
def open_lockout(tmp_path, time_machine):
    """`open_lockout(path=<tmp>/pin.json, **options)`: the lockout state as the kiosk opens it at start (a
    second call is a restart), on the fake wall clock."""

    def open_(path: Path = tmp_path / "pin.json", **options) -> PinLockout:
        return PinLockout(path, time_machine.wall, **options)

    return open_


def fail(lockout: PinLockout, times: int) -> None:
    for _ in range(times):
        lockout.record_failure()


def test_four_failures_do_not_lock(open_lockout):
    lockout = open_lockout()
    fail(lockout, 4)
    assert not lockout.is_locked()
    assert lockout.remaining_s() == 0


def test_five_failures_lock_for_five_minutes(time_machine, open_lockout):
    lockout = open_lockout()
    fail(lockout, 5)
    assert lockout.is_locked()
    assert lockout.remaining_s() == 300
    time_machine.advance(299.5)
    assert lockout.is_locked() and lockout.remaining_s() == 1
    time_machine.advance(0.5)
    assert not lockout.is_locked() and lockout.remaining_s() == 0


def test_count_starts_again_after_the_lockout_and_the_next_lock_is_twice_as_long(time_machine, open_lockout):
    lockout = open_lockout()
    fail(lockout, 5)
    time_machine.advance(300)
    fail(lockout, 4)
    assert not lockout.is_locked()
    lockout.record_failure()
    assert lockout.remaining_s() == 600


def test_each_further_lock_doubles_up_to_a_day(time_machine, open_lockout):
    lockout = open_lockout()
    durations = []
    for _ in range(12):
        fail(lockout, 5)
        durations.append(lockout.remaining_s())
        time_machine.advance(durations[-1])
    minutes = [5, 10, 20, 40, 80, 160, 320, 640, 1280, 1440, 1440, 1440]
    assert durations == [m * 60 for m in minutes]


def test_the_right_pin_starts_the_escalation_again(time_machine, open_lockout):
    lockout = open_lockout()
    for _ in range(3):
        fail(lockout, 5)
        time_machine.advance(lockout.remaining_s())
    lockout.record_success()
    fail(lockout, 5)
    assert lockout.remaining_s() == 300


def test_the_escalation_survives_a_restart(time_machine, open_lockout):
    first = open_lockout()
    fail(first, 5)
    time_machine.advance(300)
    restarted = open_lockout()
    fail(restarted, 5)
    assert restarted.remaining_s() == 600


def test_a_state_file_from_before_the_escalation_is_read(tmp_path, open_lockout):
    path = tmp_path / "pin.json"
    path.write_text(json.dumps({"failures": 3, "locked_until": 0.0}))
    lockout = open_lockout(path)
    fail(lockout, 2)
    assert lockout.remaining_s() == 300


def test_documented_recovery_deleting_the_state_files_unlocks(tmp_path, time_machine, open_lockout):
    """deploy/README.md: delete pin-lockout.json in the data and runtime folders, then restart."""
    data, runtime = tmp_path / "data" / "pin-lockout.json", tmp_path / "run" / "pin-lockout.json"
    (tmp_path / "data").mkdir()
    lockout = open_lockout(data, fallback_path=runtime)
    for _ in range(6):
        fail(lockout, 5)
        time_machine.advance(lockout.remaining_s() - 1)
    assert open_lockout(data, fallback_path=runtime).is_locked()
    for path in (data, runtime):
        path.unlink(missing_ok=True)
    restarted = open_lockout(data, fallback_path=runtime)
    assert not restarted.is_locked()
    fail(restarted, 5)
    assert restarted.remaining_s() == 300


def test_failures_during_a_lockout_do_not_count(time_machine, open_lockout):
    lockout = open_lockout()
    fail(lockout, 5)
    time_machine.advance(100)
    fail(lockout, 10)
    assert lockout.remaining_s() == 200
    time_machine.advance(200)
    fail(lockout, 4)
    assert not lockout.is_locked()


def test_success_resets_the_count(open_lockout):
    lockout = open_lockout()
    fail(lockout, 4)
    lockout.record_success()
    fail(lockout, 4)
    assert not lockout.is_locked()


def test_custom_limits(open_lockout):
    lockout = open_lockout(max_failures=2, lockout_s=60)
    fail(lockout, 2)
    assert lockout.remaining_s() == 60


def test_lockout_survives_a_restart(time_machine, open_lockout):
    fail(open_lockout(), 5)
    time_machine.advance(60)
    restarted = open_lockout()
    assert restarted.remaining_s() == 240


def test_failure_count_survives_a_restart(open_lockout):
    fail(open_lockout(), 3)
    restarted = open_lockout()
    fail(restarted, 2)
    assert restarted.is_locked()


def test_state_file_is_json_with_count_and_epoch_seconds(tmp_path, time_machine):
    path = tmp_path / "pin.json"
    lockout = PinLockout(path, time_machine.clock)
    fail(lockout, 2)
    assert json.loads(path.read_text()) == {"failures": 2, "locked_until": 0.0, "locks": 0}
    fail(lockout, 3)
    assert json.loads(path.read_text()) == {"failures": 0, "locked_until": 1300.0, "locks": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["pin.json"]  # no temporary file left


def test_missing_state_folder_is_created(tmp_path, open_lockout):
    path = tmp_path / "data" / "state" / "pin.json"
    fail(open_lockout(path), 1)
    assert json.loads(path.read_text())["failures"] == 1


def test_lock_written_with_a_clock_far_ahead_lasts_at_most_the_lockout(tmp_path, time_machine, open_lockout):
    path = tmp_path / "pin.json"
    path.write_text(json.dumps({"failures": 0, "locked_until": 4_000_000_000.0}))
    lockout = open_lockout(path)
    assert lockout.remaining_s() == 300
    time_machine.advance(300)
    assert not lockout.is_locked()


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe\x00",
        b"[]",
        b'{"failures": -1, "locked_until": 0}',
        b'{"failures": true, "locked_until": 0}',
        b'{"failures": 0, "locked_until": "soon"}',
        b'{"failures": 0, "locked_until": NaN}',
        b'{"failures": 0}',
        b"",
    ],
)
def test_corrupt_state_fails_closed(tmp_path, caplog, content, time_machine, open_lockout):
    path = tmp_path / "pin.json"
    path.write_bytes(content)
    with caplog.at_level(logging.ERROR, logger="kiosk.pin"):
        lockout = open_lockout(path)
    assert lockout.remaining_s() == 300
    aside = tmp_path / "pin.json.corrupt"
    assert aside.read_bytes() == content
    assert str(path) in caplog.text and str(aside) in caplog.text
    time_machine.advance(30)
    assert open_lockout(path).remaining_s() == 270  # the lock itself was saved


def test_corrupt_state_then_expiry_unlocks(tmp_path, time_machine, open_lockout):
    path = tmp_path / "pin.json"
    path.write_text("garbage")
    lockout = open_lockout(path)
    time_machine.advance(300)
    assert not lockout.is_locked()


def test_unwritable_folder_keeps_state_in_memory(tmp_path, caplog, open_lockout):
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):
        pytest.skip("running as root: chmod does not stop writing")
    with caplog.at_level(logging.WARNING, logger="kiosk.pin"):
        lockout = open_lockout(folder / "pin.json")
        fail(lockout, 5)
    assert lockout.remaining_s() == 300
    assert list(folder.iterdir()) == []
    assert len(caplog.records) == 1 and str(folder / "pin.json") in caplog.text


def test_an_unwritable_data_folder_keeps_the_lock_in_the_runtime_folder_across_a_restart(
    tmp_path, caplog, time_machine, open_lockout
):
    (tmp_path / "not-a-folder").write_text("")  # the data folder cannot be written, even by root
    data = tmp_path / "not-a-folder" / "pin-lockout.json"
    runtime = tmp_path / "run" / "pin-lockout.json"
    with caplog.at_level(logging.INFO, logger="kiosk.pin"):
        lockout = open_lockout(data, fallback_path=runtime)
        fail(lockout, 9)
        assert lockout.remaining_s() == 300
        time_machine.advance(60)
        restarted = open_lockout(data, fallback_path=runtime)  # the service restarts the kiosk
        assert restarted.remaining_s() == 240
    assert json.loads(runtime.read_text())["locks"] == 1
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, "one warning, not one per wrong PIN"
    assert str(data) in warnings[0] and f"keeping it in {runtime} instead" in warnings[0]


def test_the_data_folder_is_used_again_once_writable(tmp_path, caplog, time_machine, open_lockout):
    blocker = tmp_path / "data"
    blocker.write_text("")  # a file where the data folder should be
    data, runtime = blocker / "pin-lockout.json", tmp_path / "run" / "pin-lockout.json"
    lockout = open_lockout(data, fallback_path=runtime)
    fail(lockout, 5)
    assert runtime.exists()
    blocker.unlink()
    time_machine.advance(300)
    with caplog.at_level(logging.INFO, logger="kiosk.pin"):
        fail(lockout, 1)
    assert json.loads(data.read_text())["failures"] == 1
    assert not runtime.exists()
    assert f"PIN lockout state saved to {data} again" in caplog.text


def test_state_folder_that_is_a_file_keeps_state_in_memory(tmp_path, caplog, time_machine, open_lockout):
    # A path under a regular file cannot be written even by root.
    (tmp_path / "not-a-folder").write_text("")
    with caplog.at_level(logging.WARNING, logger="kiosk.pin"):
        lockout = open_lockout(tmp_path / "not-a-folder" / "pin.json")
        fail(lockout, 5)
        assert lockout.remaining_s() == 300
        time_machine.advance(300)
        fail(lockout, 4)
        assert not lockout.is_locked()
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "not-a-folder/pin.json" in caplog.records[0].getMessage()


# hash-pin command


def fake_getpass(*answers: str):
    prompts = []
    replies = iter(answers)

    def getpass(prompt: str) -> str:
        prompts.append(prompt)
        return next(replies)

    getpass.prompts = prompts
    return getpass


def run(*answers: str) -> tuple[int, str, str, list[str]]:
    out, err = io.StringIO(), io.StringIO()
    getpass = fake_getpass(*answers)
    status = run_hash_pin(getpass, out, err)
    return status, out.getvalue(), err.getvalue(), getpass.prompts


def test_hash_pin_prints_the_config_line():
    status, out, err, prompts = run("135790", "135790")
    assert status == 0 and err == ""
    assert prompts == ["New staff PIN (4 to 12 digits): ", "Repeat the PIN: "]
    assert out.startswith('staff_pin_hash = "scrypt$16384$8$1$') and out.endswith('"\n')
    assert verify_pin("135790", out.split('"')[1])


def test_hash_pin_refuses_a_mismatch():
    status, out, err, _ = run("135790", "135791")
    assert (status, out, err) == (1, "", "error: the two PINs differ\n")


def test_hash_pin_refuses_an_invalid_pin_without_asking_again():
    status, out, err, prompts = run("12")
    assert (status, out, err) == (1, "", "error: a PIN must be 4 to 12 digits (0-9)\n")
    assert len(prompts) == 1


def test_hash_pin_without_input():
    def getpass(prompt: str) -> str:
        raise EOFError

    err = io.StringIO()
    assert run_hash_pin(getpass, io.StringIO(), err) == 1
    assert err.getvalue() == "error: no PIN given\n"


def test_hash_pin_writes_to_the_current_stdout(capsys):
    assert run_hash_pin(fake_getpass("8642", "8642")) == 0
    assert capsys.readouterr().out.startswith('staff_pin_hash = "scrypt$')
