"""One build step; everything else is declared in pyproject.toml.

The icons (resources/) and the sample articles (seeds/) live at the top of the repository, where people edit
them and the tests read them. A wheel must carry them inside the package so that ``importlib.resources``
finds them once installed (newsdedup.resources.data_folder). setuptools' ``data-files`` would scatter them
outside the package, and mapping those folders as packages would force an explicit package list in
pyproject.toml that every new subpackage must join; so the wheel's build copies them into
``newsdedup/data/``. Editable installs skip the copy: they read the checkout itself.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# (top-level folder, files of it the package carries); the seeds' .expected.json is for tests only.
CARRIED = (("resources", "**/*"), ("seeds", "*.txt"))


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "newsdedup" / "data"
        shutil.rmtree(target, ignore_errors=True)  # a file removed from the checkout leaves the wheel too
        for folder, pattern in CARRIED:
            for source in sorted((ROOT / folder).glob(pattern)):
                if source.is_file():
                    dest = target / folder / source.relative_to(ROOT / folder)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, dest)


setup(cmdclass={"build_py": BuildPyWithData})
