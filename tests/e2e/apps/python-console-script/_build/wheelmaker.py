"""A minimal in-tree PEP 517 build backend: packs src/<name>/ into a pure-Python wheel."""
import base64
import hashlib
import os
import tomllib
import zipfile

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _project():
    with open(os.path.join(_ROOT, "pyproject.toml"), "rb") as f:
        return tomllib.load(f)["project"]


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    p = _project()
    name, version = p["name"], p["version"]
    dist_info = f"{name}-{version}.dist-info"
    files = []
    src = os.path.join(_ROOT, "src", name)
    for dirpath, _, filenames in os.walk(src):
        for fn in sorted(filenames):
            if fn.endswith(".py"):
                full = os.path.join(dirpath, fn)
                rel = os.path.relpath(full, os.path.join(_ROOT, "src")).replace(os.sep, "/")
                with open(full, "rb") as f:
                    files.append((rel, f.read()))
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: {p.get('description', '')}\n"
    wheel = "Wheel-Version: 1.0\nGenerator: wheelmaker\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files.append((f"{dist_info}/METADATA", metadata.encode()))
    # [project.scripts] become console scripts: pip writes a wrapper in bin/ for each.
    scripts = p.get("scripts", {})
    if scripts:
        lines = "[console_scripts]\n" + "".join(f"{k} = {v}\n" for k, v in scripts.items())
        files.append((f"{dist_info}/entry_points.txt", lines.encode()))
    files.append((f"{dist_info}/WHEEL", wheel.encode()))
    record = [_record_line(path, data) for path, data in files] + [f"{dist_info}/RECORD,,"]
    files.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    wheel_name = f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in files:
            z.writestr(path, data)
    return wheel_name
