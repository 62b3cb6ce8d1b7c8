"""Tag wrangling: AO3's model of canonical tags, synonyms and metatags, brought to the
catalogue so that one name finds every way a tag was written.

- `relationships`: a relationship's kind and members, order-free.
- `graph`: the names a filter term stands for (synonyms, subtags, relationship members).
- `edit`: the wrangling operations behind `catalog tag …`.
- `vocabulary`: loading vocabulary files (the shipped Buffyverse one by default).
- `ao3dump`: importing AO3's public data-dump tag table, streamed.
- `infer`: inferring characters (and fandoms) named in untagged stories.
"""
