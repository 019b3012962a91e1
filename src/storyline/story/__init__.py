"""The story across articles: entity linking, timelines, profiles and quote search, over the store.

``link_entities`` (``linking``) joins each article's entities into story
entities when records are written; ``queries`` answers ``entities``,
``profile``, ``timeline`` and ``quotes`` from the store, read-only; ``events``
merges the same event reported in several articles.
"""
