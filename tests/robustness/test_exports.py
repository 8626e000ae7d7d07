"""Exports keep the umask's permissions, clean up after any failure or Ctrl-C, and never deadlock.

Before the fix every export was written 0600 whatever the umask (``mkstemp``), an
overwritten 0644 file became 0600, Ctrl-C during a netCDF export could deadlock inside
HDF5 and leave a ``.part`` file, and nothing removed the leftovers of killed writers.
"""

from __future__ import annotations

import fcntl
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

import atrogame as ag
from atrogame import io as agio
from atrogame.io import atomic_write, clean_stale_parts, write_dataset
from atrogame.testing.models import Ishigami, Toy

FORMATS = [".csv", ".nc", ".parquet"]


@pytest.fixture
def umask022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def _cli(*args: str) -> int:
    from atrogame.cli import main

    return main(list(args))


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_new_export_has_the_umask_permissions(tmp_path, suffix, umask):
    old = os.umask(umask)
    try:
        path = write_dataset(Toy().sweep(benefit=[0.5, 2.0]), tmp_path / f"s{suffix}")
    finally:
        os.umask(old)
    assert _mode(path) == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize("suffix", FORMATS)
def test_overwrite_keeps_the_existing_mode(tmp_path, suffix, umask022):
    target = tmp_path / f"s{suffix}"
    write_dataset(Toy().sweep(benefit=[0.5]), target)
    for mode in (0o644, 0o640, 0o664):
        target.chmod(mode)
        write_dataset(Toy().sweep(benefit=[2.0]), target)
        assert _mode(target) == mode


def test_other_exports_have_the_umask_permissions(tmp_path, umask022):
    """The brief, ``tools compare --out`` and ``sensitivity --out`` go through the same writer."""
    from atrogame.brief import write_brief

    brief = write_brief(ag.KyddStraus(), ["mediation"], tmp_path / "brief.html", n=50)
    assert _mode(brief) == 0o644
    assert _cli("tools", "compare", "kydd_straus", "--out", str(tmp_path / "c.csv")) == 0
    assert _mode(tmp_path / "c.csv") == 0o644
    assert _cli("sensitivity", "atrogame.testing.models:Toy", "--outcome", "x", "--method", "morris",
                "--n", "4", "--seed", "0", "--out", str(tmp_path / "si.csv")) == 0
    assert _mode(tmp_path / "si.csv") == 0o644
    (tmp_path / "c.csv").chmod(0o600)
    assert _cli("tools", "compare", "kydd_straus", "--out", str(tmp_path / "c.csv")) == 0
    assert _mode(tmp_path / "c.csv") == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.html", "c.csv", "si.csv"]


@pytest.mark.parametrize("exc", [RuntimeError("disk full"), KeyboardInterrupt(), SystemExit(3)])
def test_atomic_write_cleans_up_on_any_exception(tmp_path, exc):
    target = tmp_path / "keep.txt"
    target.write_text("old")

    def write(p):
        p.write_text("half")
        raise exc

    with pytest.raises(type(exc)):
        atomic_write(target, write)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


class _SlowBreaks(Ishigami):
    """Blocks take a moment; the block with x1 > 2 raises while others still run."""

    def kernel(self, v):
        time.sleep(0.02)
        if np.max(v["x1"]) > 2:
            raise FloatingPointError("late block fails")
        return super().kernel(v)


@pytest.mark.parametrize("suffix", FORMATS)
def test_failing_late_block_leaves_no_temporary_file(tmp_path, suffix):
    target = tmp_path / f"s{suffix}"
    for _ in range(8):
        lazy = _SlowBreaks().sweep(x1=np.linspace(-3, 3, 60), x2=np.linspace(0, 1, 20), chunks={"x1": 3})
        with pytest.raises(FloatingPointError):
            write_dataset(lazy, target)
        time.sleep(0.05)  # a straggling writer would recreate its file now
        assert list(tmp_path.iterdir()) == []


def test_stale_parts_are_cleaned_and_live_ones_kept(tmp_path):
    target = tmp_path / "sweep.nc"
    stale = tmp_path / ".sweep.nc.abcd1234.part"
    stale.mkdir()
    (stale / "sweep.nc").write_bytes(b"half a file")
    live = tmp_path / ".sweep.nc.live0000.part"
    live.mkdir()
    old_file = tmp_path / ".sweep.nc.oldfile1.part"  # a temporary file of an older atrogame
    old_file.write_bytes(b"x")
    other = tmp_path / ".notes.txt.abcd1234.part"  # another target's leftover: not touched by this write
    other.mkdir()
    mine = tmp_path / "results.part"  # not atrogame's pattern
    mine.write_text("user data")
    link = tmp_path / ".sweep.nc.symlink1.part"
    link.symlink_to(mine)
    past = time.time() - 3600
    for p in (stale, live, old_file, other):
        os.utime(p, (past, past))
    fd = os.open(live, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a running writer holds its folder
    try:
        write_dataset(Toy().sweep(benefit=[1.0]), target)
        names = sorted(p.name for p in tmp_path.iterdir())
        assert names == sorted([".notes.txt.abcd1234.part", ".sweep.nc.live0000.part", ".sweep.nc.symlink1.part",
                                "results.part", "sweep.nc"])
        fresh = tmp_path / ".notes.txt.fresh000.part"
        fresh.mkdir()  # too young: its writer may not have locked it yet
        removed = clean_stale_parts(tmp_path)
        assert [p.name for p in removed] == [".notes.txt.abcd1234.part"]
        assert fresh.exists() and live.exists() and mine.read_text() == "user data"
    finally:
        os.close(fd)
    assert [p.name for p in clean_stale_parts(tmp_path, min_age=0)] != []
    assert not live.exists() and not fresh.exists() and link.is_symlink()


_CHILD = textwrap.dedent("""
    import sys, numpy as np
    from atrogame.io import write_dataset
    from atrogame.testing.models import Ishigami
    suffix, lazy, out = sys.argv[1], sys.argv[2] == "lazy", sys.argv[3]
    g = np.linspace(-3, 3, 80)
    ds = Ishigami().sweep(x1=g, x2=g, x3=g, **({"chunks": {"x1": 8}} if lazy else {}))
    print("ready", flush=True)
    while True:  # every moment is inside an export
        write_dataset(ds, out)
""")


@pytest.mark.parametrize("lazy", ["eager", "lazy"])
@pytest.mark.parametrize("suffix", FORMATS)
def test_sigint_during_export_returns_promptly_and_leaves_no_temp_file(tmp_path, suffix, lazy):
    script = tmp_path / "child.py"
    script.write_text(_CHILD)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for delay in (0.3, 0.9, 1.6):
        proc = subprocess.Popen([sys.executable, str(script), suffix, lazy, str(out_dir / f"s{suffix}")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == "ready"
            time.sleep(delay)
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            pytest.fail(f"{suffix} {lazy}: no exit within 60 s of SIGINT (deadlock)")
        assert "KeyboardInterrupt" in err, err[-2000:]
        left = sorted(p.name for p in out_dir.iterdir())
        assert left in ([], [f"s{suffix}"]), left


@pytest.mark.parametrize("moment", ["creating", "removing"])
def test_ctrl_c_while_the_temporary_folder_is_made_or_removed_leaves_nothing(tmp_path, monkeypatch, moment):
    """A Ctrl-C that lands while the private folder is being created (between mkdtemp and the
    code that owns it) or removed (inside rmtree) is held until that step is done, then raised:
    no folder is left behind (the SIGINT test above hit this window by chance under load)."""
    real_mkdtemp, real_rmtree = agio.tempfile.mkdtemp, agio.shutil.rmtree
    fired: list[str] = []

    def mkdtemp(*args, **kwargs):
        path = real_mkdtemp(*args, **kwargs)
        if moment == "creating" and not fired:
            fired.append(path)
            signal.raise_signal(signal.SIGINT)  # the handler runs here, before mkdtemp returns
        return path

    def rmtree(path, *args, **kwargs):
        if moment == "removing" and not fired:
            fired.append(str(path))
            signal.raise_signal(signal.SIGINT)  # in the middle of the clean-up
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(agio.tempfile, "mkdtemp", mkdtemp)
    monkeypatch.setattr(agio.shutil, "rmtree", rmtree)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(tmp_path / "out.txt", lambda p: p.write_text("done"))
    assert fired
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ([] if moment == "creating" else ["out.txt"]), left
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the handler is restored


def test_ctrl_c_deferral_hands_the_signal_to_a_custom_handler():
    """A handler the caller installed gets the Ctrl-C once the held step is done (and stays installed)."""
    seen: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: seen.append(signum))
    try:
        with agio._ctrl_c_deferred():
            signal.raise_signal(signal.SIGINT)
            assert seen == []  # held while inside
        assert seen == [signal.SIGINT]
        assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)


def test_cancelled_lazy_netcdf_stops_early(tmp_path):
    """Interrupting a lazy netCDF export stops it at the next block, not at the end of the sweep."""
    ran = []

    class Counting(Ishigami):
        def kernel(self, v):
            ran.append(1)
            time.sleep(0.01)
            return super().kernel(v)

    lazy = Counting().sweep(x1=np.linspace(-3, 3, 200), x2=[0.0, 1.0], chunks={"x1": 2})
    token_sink = set()
    orig = agio._in_helper_thread

    def capture(work):
        def wrapped(token):
            token_sink.add(token)
            import threading

            threading.Timer(0.2, lambda: agio._CANCELLED.add(token)).start()
            work(token)

        return orig(wrapped)

    agio._in_helper_thread, saved = capture, agio._in_helper_thread
    try:
        with pytest.raises(agio.ExportCancelled):
            write_dataset(lazy, tmp_path / "s.nc")
    finally:
        agio._in_helper_thread = saved
        agio._CANCELLED.difference_update(token_sink)
    assert 0 < len(ran) < 100
    assert list(tmp_path.iterdir()) == []
