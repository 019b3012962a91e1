"""Running many articles: worker processes, a Dask cluster, shards, resuming, and the bench.

``workers.process_parallel`` spreads articles over processes on one machine,
``cluster.extract_to_shards`` over a Dask cluster into shard files
(``shards``); ``resume`` skips what an earlier run finished; ``bench`` measures
storyline against a bare parse.
"""
