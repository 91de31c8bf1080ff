"""The YAML loader for policygraph's own data files.

libyaml's C loader when PyYAML was built with it: the same safe subset as `yaml.safe_load`,
parsed about ten times faster (the gazetteer alone took over a second with the pure-Python
loader, paid by every build, even of one document). Documents' front matter keeps
`yaml.safe_load` and its own guards (loading/frontmatter.py).
"""

from __future__ import annotations

import yaml

__all__ = ["SAFE_LOADER"]

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
