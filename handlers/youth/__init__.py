"""The difficult-youth list (danh sách thanh niên có hoàn cảnh khó khăn), sensitive personal data.

`commands` joins the flows: a secretary's own list (`secretary`), adding (`add`) and editing
(`edit`) a record, the district's read-only view (`district`); `close` changes a case's state,
`views` shows records and guards who may read them, `input` reads typed answers.
"""
