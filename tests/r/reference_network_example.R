# Reference figures for tests/test_network_end_to_end.py, computed with R igraph from the
# example export (surveys/examples/network-map-*.csv, made by scripts/make_network_example.py).
#
# Run from the repository root:
#   Rscript tests/r/reference_network_example.R > tests/r/reference_network_example.out
# Each row's answer is matched against the roster by name (names may contain commas, so the
# answer is not split); "Riverside Library" is not a member and is left out.
suppressPackageStartupMessages(library(igraph))

show <- function(label, x) cat(sprintf("%-36s %s\n", label, format(x, digits = 15)))
roster <- c("Loomworks Network Team", "Hollowbrook Neighbours Together", "Smith, Jones & Co",
            "Ashgrove Food Share", "Lantern Street Youth Project", "Tanner's Yard Shed Collective",
            "Harbourside Carers' Circle", "Okafor, Reid and Partners", "The Weavers' Table",
            "Northfold Lived Experience Panel", "Bramble Hill Allotment, Kitchen and Café",
            "Copperleaf Arts")

figures <- function(path) {
  cat(sprintf("== %s\n", basename(path)))
  x <- read.csv(path, check.names = FALSE, encoding = "UTF-8")
  from <- character(0)
  to <- character(0)
  for (i in seq_len(nrow(x))) {
    who <- x[i, "Which member are you?"]
    raw <- x[i, "Which members have you worked with in the last six months?"]
    for (m in roster) if (grepl(m, raw, fixed = TRUE)) {
      from <- c(from, who)
      to <- c(to, m)
    }
  }
  g <- make_empty_graph(n = length(roster))
  V(g)$name <- roster
  g <- simplify(add_edges(g, as.vector(rbind(from, to))))
  u <- as.undirected(g, mode = "collapse")
  show("responded", nrow(x))
  show("ties", ecount(g))
  show("density", edge_density(g))
  show("reciprocity", reciprocity(g))
  show("components", components(u)$no)
  show("isolates", sum(degree(u) == 0))
  show("centralization", centr_degree(u, normalized = TRUE)$centralization)
  show("articulation_points", length(articulation_points(u)))
  h <- delete_vertices(u, "Loomworks Network Team")
  show("without_convenors.components", components(h)$no)
  show("without_convenors.isolates", sum(degree(h) == 0))
  show("without_convenors.largest_share", max(components(h)$csize) / vcount(h))
}

cat(sprintf("R %s, igraph %s\n", getRversion(), packageVersion("igraph")))
figures("surveys/examples/network-map-responses.csv")
figures("surveys/examples/network-map-baseline.csv")
