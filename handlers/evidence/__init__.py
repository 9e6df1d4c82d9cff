"""Ảnh minh chứng: photo evidence for a month's report.

`items` says what photos can prove (read from the form), `store` takes a photo into a report,
`checks` records doubts about it (reused, taken long before), `flow` is /minhchung and photos
sent at any time.
"""
