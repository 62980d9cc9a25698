"""The builders of the generated pages, one module per page family; the table of
pages that uses them is ``sitegen.registry``."""
