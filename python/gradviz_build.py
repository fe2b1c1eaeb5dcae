"""gradviz_build: the PEP 517 build backend of python/ (PEP 660 for
editable installs), standard library only, so that `pip install ./python`
needs nothing from a package index. It builds one pure-Python wheel
holding gradviz_export.py; the installed module records the source tree
it was built from, where it finds the gradviz that scripts/setup.sh
builds. An editable wheel holds a .pth file naming this folder instead.
"""
import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE = "gradviz_export"
TAG = "py3-none-any"
# the date zip entries carry (a zip cannot say 1970): same sources, same wheel
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _project():
    """name, version, description and requires-python of pyproject.toml's
    [project] (tomllib where Python has it, else the simple lines)."""
    text = open(os.path.join(HERE, "pyproject.toml"), encoding="utf-8").read()
    try:
        import tomllib
        return tomllib.loads(text)["project"]
    except ImportError:
        section = text.split("[project]", 1)[1].split("\n[", 1)[0]
        return {k: v for k, v in re.findall(r'^(\w[\w-]*)\s*=\s*"([^"]*)"', section, re.M)}


def _dist(p):
    return re.sub(r"[-_.]+", "_", p["name"]).lower() + "-" + p["version"]


def _metadata(p):
    readme = os.path.join(HERE, "README.md")
    body = open(readme, encoding="utf-8").read() if os.path.exists(readme) else ""
    return ("Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: %s\nLicense: MIT\n"
            "Requires-Python: %s\nDescription-Content-Type: text/markdown\n\n%s"
            % (p["name"], p["version"], p.get("description", ""), p.get("requires-python", ">=3.8"),
               body))


def _wheel(directory, files):
    """A wheel of files ({archive name: bytes}) with its dist-info."""
    p = _project()
    dist = _dist(p)
    info = dist + ".dist-info/"
    files = dict(files)
    files[info + "METADATA"] = _metadata(p).encode("utf-8")
    files[info + "WHEEL"] = ("Wheel-Version: 1.0\nGenerator: gradviz_build\nRoot-Is-Purelib: true\n"
                             "Tag: %s\n" % TAG).encode()
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append("%s,sha256=%s,%d" % (name, digest, len(data)))
    record.append(info + "RECORD,,")
    files[info + "RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = "%s-%s.whl" % (dist, TAG)
    with zipfile.ZipFile(os.path.join(directory, wheel), "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files, key=lambda n: (n.startswith(info), n)):
            zi = zipfile.ZipInfo(name, ZIP_DATE)
            zi.external_attr = 0o644 << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, files[name])
    return wheel


def _module_with_tree():
    """gradviz_export.py with _SOURCE_TREE set to the tree above HERE."""
    text = open(os.path.join(HERE, MODULE + ".py"), encoding="utf-8").read()
    tree = os.path.dirname(HERE)
    new, n = re.subn(r"^_SOURCE_TREE = None$", "_SOURCE_TREE = %r" % tree, text, count=1, flags=re.M)
    if n != 1:
        raise RuntimeError("gradviz_export.py has no line '_SOURCE_TREE = None'")
    return new.encode("utf-8")


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, {MODULE + ".py": _module_with_tree()})


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    """The module stays here: a .pth file puts this folder on sys.path."""
    return _wheel(wheel_directory, {"__editable__.%s.pth" % _dist(_project()): (HERE + "\n").encode()})


def build_sdist(sdist_directory, config_settings=None):
    p = _project()
    dist = _dist(p)
    name = dist + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as tar:
        pkg_info = _metadata(p).encode("utf-8")
        for arc, data in [("PKG-INFO", pkg_info)] + [
                (f, open(os.path.join(HERE, f), "rb").read())
                for f in ("pyproject.toml", "gradviz_build.py", MODULE + ".py", "README.md")]:
            ti = tarfile.TarInfo("%s/%s" % (dist, arc))
            ti.size = len(data)
            ti.mode = 0o644
            tar.addfile(ti, io.BytesIO(data))
    return name
