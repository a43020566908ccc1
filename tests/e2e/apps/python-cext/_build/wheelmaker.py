"""A minimal in-tree PEP 517 build backend that compiles one C extension with the system's
C compiler and packs it into a wheel, so that `pip install --no-index .` builds from source
without the network (no setuptools)."""
import base64
import hashlib
import os
import subprocess
import sysconfig
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
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    out = os.path.join(wheel_directory, name + suffix)
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-O2", "-I" + sysconfig.get_paths()["include"],
         os.path.join(_ROOT, "src", name + ".c"), "-lyaml", "-o", out],
        check=True,
    )
    with open(out, "rb") as f:
        files = [(name + suffix, f.read())]
    os.remove(out)
    dist_info = f"{name}-{version}.dist-info"
    tag = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    abi = "cp" + sysconfig.get_config_var("py_version_nodot")
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    wheel = f"Wheel-Version: 1.0\nGenerator: wheelmaker\nRoot-Is-Purelib: false\nTag: {abi}-{abi}-{tag}\n"
    files.append((f"{dist_info}/METADATA", metadata.encode()))
    files.append((f"{dist_info}/WHEEL", wheel.encode()))
    record = [_record_line(path, data) for path, data in files] + [f"{dist_info}/RECORD,,"]
    files.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    wheel_name = f"{name}-{version}-{abi}-{abi}-{tag}.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in files:
            z.writestr(path, data)
    return wheel_name
