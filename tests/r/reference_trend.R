# Reference figures for tests/test_trend.py: the three-wave example's network figures per
# wave and the tie churn between consecutive waves, computed with R igraph from the
# example exports (surveys/examples/network-map-{2024,baseline,responses}.csv).
#
# Run from the repository root:
#   Rscript tests/r/reference_trend.R > tests/r/reference_trend.out
# Churn: the two waves' undirected graphs induced on the members who answered both;
# kept = ecount(intersection), new = ecount(difference(later, earlier)), ended the reverse.
suppressPackageStartupMessages(library(igraph))

show <- function(label, x) cat(sprintf("%-24s %s\n", label, format(x, digits = 15)))
roster <- c("Loomworks Network Team", "Hollowbrook Neighbours Together", "Smith, Jones & Co",
            "Ashgrove Food Share", "Lantern Street Youth Project", "Tanner's Yard Shed Collective",
            "Harbourside Carers' Circle", "Okafor, Reid and Partners", "The Weavers' Table",
            "Northfold Lived Experience Panel", "Bramble Hill Allotment, Kitchen and Café",
            "Copperleaf Arts")

wave <- function(path) {
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
  list(g = g, answered = x[, "Which member are you?"])
}

waves <- list(
  "2024" = wave("surveys/examples/network-map-2024.csv"),
  "2025" = wave("surveys/examples/network-map-baseline.csv"),
  "2026" = wave("surveys/examples/network-map-responses.csv")
)
cat(sprintf("R %s, igraph %s\n", getRversion(), packageVersion("igraph")))
for (label in names(waves)) {
  g <- waves[[label]]$g
  u <- as.undirected(g, mode = "collapse")
  cat(sprintf("== %s\n", label))
  show("ties", ecount(g))
  show("density", edge_density(g))
  show("isolates", sum(degree(u) == 0))
  show("components", components(u)$no)
}
labels <- names(waves)
for (i in seq_len(length(waves) - 1)) {
  a <- waves[[i]]
  b <- waves[[i + 1]]
  both <- intersect(a$answered, b$answered)
  ga <- induced_subgraph(as.undirected(a$g, mode = "collapse"), both)
  gb <- induced_subgraph(as.undirected(b$g, mode = "collapse"), both)
  cat(sprintf("== churn %s-%s\n", labels[i], labels[i + 1]))
  show("members", length(both))
  show("kept", ecount(intersection(ga, gb)))
  show("new", ecount(difference(gb, ga)))
  show("ended", ecount(difference(ga, gb)))
}
