"""Office files as LibreOffice reads them: converted headless, the result handed back to the test."""

import subprocess


def libreoffice(content, suffix, target, tmp_path):
    """Return ``content`` (a ``suffix`` file) as LibreOffice converts it to ``target`` (a filter spec)."""
    folder = tmp_path / f"lo-{suffix}-{target.split(':')[0]}"
    folder.mkdir(exist_ok=True)
    source = folder / f"in.{suffix}"
    source.write_bytes(content)
    out = folder / "out"
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    converted = out / f"in.{target.split(':')[0]}"
    assert converted.exists(), (done.returncode, done.stdout, done.stderr)  # LibreOffice refused the file
    return converted.read_bytes()
