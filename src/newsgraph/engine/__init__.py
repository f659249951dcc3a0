"""Where parsing runs: shards of articles, their records, and the Dask engine.

:mod:`~newsgraph.engine.records` encodes a shard's extractions as compact bytes,
:mod:`~newsgraph.engine.shards` cuts the article stream into shards, keeps finished
ones in a work dir and runs one where the pipeline is, and
:mod:`~newsgraph.engine.cluster` (imported only for a Dask build: it needs the
``dask`` extra) runs them on a Dask cluster. :mod:`newsgraph.pipeline` chooses.
"""
