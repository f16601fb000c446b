"""The net: who works with whom.

Takes: a ``Survey`` with a network map and the nominations read from its ``connections``
questions. Gives: ``NetworkStats`` (density, isolates, centralisation, the network
without its convenors, change between waves), checked against R igraph.
"""
