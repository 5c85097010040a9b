"""Stage 2: check loaded YAML against the schema and build typed models.

Every file is read and every problem collected before anything is raised, so
a user sees all their mistakes at once (mkdocs' way). Cross-references
(a layout naming a content key, a style naming a palette colour, a text naming
a contact) are checked too, with "did you mean" suggestions.

One module per job, as mkdocs keeps them apart: ``content`` (edition, registry,
locale texts), ``styles`` (palette, fonts, text styles), ``layouts`` (the layout
schema, ``extends`` and ``scale``) and ``refs`` (cross-references, run only when
the schemas pass). The machinery and field types are in ``..schema``.
"""

from ..lookup import PAPER_MM, localized_contacts, resolve, resolve_in, walk_texts
from .content import load_content
from .layouts import MIN_BODY_PT, load_layouts
from .styles import load_styles

__all__ = ["load_content", "load_layouts", "load_styles", "walk_texts", "resolve", "resolve_in",
           "localized_contacts", "PAPER_MM", "MIN_BODY_PT"]
