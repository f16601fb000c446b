# Reference figures for tests/test_network.py, computed with R igraph.
#
# Run:  Rscript tests/r/reference_network.R > tests/r/reference_network.out
# The answers below are the same made-up roster and nominations as in the tests,
# including the noise relimpact must clean up: a self-nomination, a duplicate and
# names that are not on the roster. igraph is given the raw answers and cleans
# them its own way (drop names off the roster, then simplify()).
suppressPackageStartupMessages(library(igraph))

show <- function(label, x) cat(sprintf("%-36s %s\n", label, format(x, digits = 15)))

figures <- function(case, roster, answers, convenors = character(0)) {
  cat(sprintf("== %s\n", case))
  from <- character(0)
  to <- character(0)
  for (who in names(answers)) {
    for (named in answers[[who]]) {
      from <- c(from, who)
      to <- c(to, named)
    }
  }
  keep <- from %in% roster & to %in% roster
  g <- make_empty_graph(n = length(roster), directed = TRUE)
  V(g)$name <- roster
  if (any(keep)) g <- add_edges(g, as.vector(rbind(from[keep], to[keep])))
  g <- simplify(g, remove.multiple = TRUE, remove.loops = TRUE)
  u <- as.undirected(g, mode = "collapse")
  show("members", vcount(g))
  show("responded", sum(names(answers) %in% roster))
  show("ties", ecount(g))
  show("density", edge_density(g))
  show("reciprocity", reciprocity(g))
  show("components", components(u)$no)
  show("isolates", sum(degree(u) == 0))
  show("centralization", centr_degree(u, normalized = TRUE)$centralization)
  show("articulation_points", length(articulation_points(u)))
  show("unknown_names", length(unique(c(from[!from %in% roster], to[!to %in% roster]))))
  if (length(convenors) > 0) {
    h <- delete_vertices(u, convenors)
    show("without_convenors.components", components(h)$no)
    show("without_convenors.isolates", sum(degree(h) == 0))
    show("without_convenors.largest_share", max(components(h)$csize) / vcount(h))
  }
}

cat(sprintf("R %s, igraph %s\n", getRversion(), packageVersion("igraph")))

roster <- c("Smith, Jones & Co", "Ada Lovelace", "Riverside Food Bank", "Patel, R.",
            "Green Streets", "Youth Forum <North>", "O'Brien Trust", "Harbour Arts",
            "Dee Lane", "Lone Wolf Ltd")
answers <- list(
  "Smith, Jones & Co" = c("Ada Lovelace", "Green Streets"),
  "Ada Lovelace" = c("Smith, Jones & Co", "Riverside Food Bank", "Patel, R."),
  "Riverside Food Bank" = c("Ada Lovelace", "Patel, R.", "Riverside Food Bank", "Ada Lovelace"),
  "Green Streets" = c("Smith, Jones & Co", "Youth Forum <North>", "Harbour Arts"),
  "Youth Forum <North>" = c("O'Brien Trust", "Unknown Org"),
  "O'Brien Trust" = c("Youth Forum <North>", "Green Streets"),
  "Dee Lane" = character(0),
  "Visitor" = c("Ada Lovelace")
)
figures("roster of 10, convenor Smith, Jones & Co", roster, answers, "Smith, Jones & Co")
figures("same, convenors Smith, Jones & Co and Green Streets", roster, answers,
        c("Smith, Jones & Co", "Green Streets"))
figures("same, convenor O'Brien Trust", roster, answers, "O'Brien Trust")

figures("nobody responded, roster of 4", c("A", "B", "C", "D"), list())
figures("roster of 1, answered with nobody", c("A"), list("A" = character(0)))
figures("roster of 2, one tie", c("A", "B"), list("A" = "B"), "A")
figures("roster of 2, both ways", c("A", "B"), list("A" = "B", "B" = "A"))
figures("star of 5, everyone names the hub", c("Hub", "P", "Q", "R", "S"),
        list("P" = "Hub", "Q" = "Hub", "R" = "Hub", "S" = "Hub"), "Hub")
