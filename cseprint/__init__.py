"""cseprint: print-ready child sexual exploitation (CSE) awareness materials.

The pipeline runs one way, one module per stage:

    load      YAML -> plain values that remember file:line:column
    validate  plain values -> typed models (content, contacts, layouts)
    compose   models -> a Document of placed boxes (pure: no files, no reportlab)
    preflight Document -> list of problems (text fit, glyphs, sizes, contrast, QR)
    write_pdf Document -> PDF bytes (the only module that imports reportlab)
    verify    PDF bytes -> rendered, QR codes decoded, text extracted, fonts checked
    build     runs the stages, writes files atomically and the manifest
    cli       the only place that prints or exits
"""

__version__ = "0.1.0"
