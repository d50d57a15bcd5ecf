"""Evidence for county audits: frozen inspection PDFs, period bundles, workbooks and
their verification. Rendering happens here; the state changes are in the services."""
