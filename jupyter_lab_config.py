"""JupyterLab settings for the course (used by `make lab`).

- Serve the whole repository, so trainees can reach notebooks/ and exercises/, and open
  notebooks/00_start_here.ipynb first.
- Workshops often run on weak or closed connections: never fetch JupyterLab news or check
  for updates (also switched off in jupyter-settings/overrides.json).
"""

from pathlib import Path

c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file
HERE = Path(__file__).resolve().parent

c.ServerApp.root_dir = str(HERE)
c.ServerApp.default_url = "/lab/tree/notebooks/00_start_here.ipynb"
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.LabApp.app_settings_dir = str(HERE / "jupyter-settings")
