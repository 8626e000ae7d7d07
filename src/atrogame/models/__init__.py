"""atrogame's models. Each is one module (or package) following the public model contract.

Models are registered through the ``atrogame.models`` entry-point group (atrogame's own in its
``pyproject.toml``, a researcher's in theirs) or with :func:`atrogame.register_model`, and looked
up with :func:`atrogame.get_model`. Modules are imported on first lookup, so ``import atrogame``
stays light.

Examples
--------
>>> from atrogame import get_model
>>> get_model("kydd_straus").__name__
'KyddStraus'
"""
