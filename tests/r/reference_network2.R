# Reference figures for tests/test_network_mixing.py: tie strength, mixing across groups
# (E-I index, nominal assortativity) and brokers (betweenness, routes through the top 10%),
# computed with R igraph on a made-up roster with segments, isolates and a convenor.
#
# Run:  Rscript tests/r/reference_network2.R > tests/r/reference_network2.out
#
# The roster, answers and groups are the same as in the test (ROSTER, LEVELLED, GROUP).
# Each answer names a member at a level: 1 aware of each other, 2 share information,
# 3 work together, 4 plan together. Noise relimpact must clean up: a self-nomination and
# a name off the roster. Groups: the members' own answers to the segment question; with
# min_group_size 4 the Public body (3) and Business (2) groups are pooled into one group of
# 5 (relimpact's rule; R is given the pooled groups). Youth Club left the question blank,
# Quiet Org and Lone Org did not answer: their group is not known and they are left out of
# the mixing figures.
suppressPackageStartupMessages(library(igraph))

vec <- function(name, x) cat(sprintf("%s = c(%s)\n", name, paste(format(x, digits = 15), collapse = ", ")))

roster <- c("Lena", "Omar", "Priya", "Tomas", "Grace", "Yusuf",
            "Hub Trust", "Food Bank", "Carers Circle", "Arts Hall", "Youth Club",
            "Council", "Library", "Clinic", "Bakery", "Printer", "Quiet Org", "Lone Org")
answers <- list(
  "Lena" = c("Omar" = 4, "Priya" = 3, "Hub Trust" = 2),
  "Omar" = c("Lena" = 4, "Tomas" = 3, "Hub Trust" = 3),
  "Priya" = c("Lena" = 2, "Grace" = 1),
  "Tomas" = c("Omar" = 2, "Grace" = 3),
  "Grace" = c("Tomas" = 3, "Priya" = 1, "Food Bank" = 1),
  "Yusuf" = c(),
  "Hub Trust" = c("Lena" = 2, "Omar" = 2, "Food Bank" = 4, "Carers Circle" = 4, "Council" = 3,
                  "Bakery" = 2),
  "Food Bank" = c("Hub Trust" = 4, "Carers Circle" = 3, "Arts Hall" = 2, "Grace" = 2),
  "Carers Circle" = c("Hub Trust" = 3, "Food Bank" = 3, "Clinic" = 2),
  "Arts Hall" = c("Youth Club" = 4, "Library" = 1),
  "Youth Club" = c("Arts Hall" = 3, "Quiet Org" = 1),
  "Council" = c("Hub Trust" = 3, "Library" = 4, "Clinic" = 2),
  "Library" = c("Council" = 4, "Arts Hall" = 1),
  "Clinic" = c("Council" = 2, "Clinic" = 3),
  "Bakery" = c("Printer" = 4, "Hub Trust" = 1),
  "Printer" = c("Bakery" = 3, "Quiet Org" = 2, "Visitor Ltd" = 2)
)
group <- c("Lena" = "Lived experience", "Omar" = "Lived experience",
           "Priya" = "Lived experience", "Tomas" = "Lived experience",
           "Grace" = "Lived experience", "Yusuf" = "Lived experience",
           "Hub Trust" = "Charity", "Food Bank" = "Charity", "Carers Circle" = "Charity",
           "Arts Hall" = "Charity",
           "Council" = "Pooled", "Library" = "Pooled", "Clinic" = "Pooled",
           "Bakery" = "Pooled", "Printer" = "Pooled")
levels <- 4

cat(sprintf("# R %s, igraph %s\n", getRversion(), packageVersion("igraph")))
from <- character(0); to <- character(0); w <- numeric(0)
for (who in names(answers)) for (named in names(answers[[who]])) {
  from <- c(from, who); to <- c(to, named); w <- c(w, answers[[who]][[named]])
}
keep <- from %in% roster & to %in% roster & from != to
g <- make_empty_graph(n = length(roster), directed = TRUE)
V(g)$name <- roster
g <- add_edges(g, as.vector(rbind(from[keep], to[keep])), weight = w[keep])
n <- vcount(g)
vec("ties", ecount(g))
vec("density", edge_density(g))
vec("weighted_density", sum(strength(g, mode = "out")) / (levels * n * (n - 1)))
vec("strength", sapply(1:levels, function(l) sum(E(g)$weight == l)))
for (l in 1:levels) {
  h <- subgraph.edges(g, E(g)[weight >= l], delete.vertices = FALSE)
  hu <- as.undirected(h, mode = "collapse")
  vec(sprintf("at_least_%d", l), c(ecount(h), edge_density(h), reciprocity(h),
                                   components(hu)$no, sum(degree(hu) == 0)))
}

u <- as.undirected(g, mode = "collapse", edge.attr.comb = "ignore")
# Mixing: the subgraph of members with a known group.
known <- induced_subgraph(u, names(group))
types <- group[V(known)$name]
ends_k <- ends(known, E(known))
external <- sum(types[ends_k[, 1]] != types[ends_k[, 2]])
internal <- sum(types[ends_k[, 1]] == types[ends_k[, 2]])
vec("mixing_ties", c(ecount(known), external, internal))
vec("ei_index", (external - internal) / (external + internal))
vec("assortativity_nominal",
    assortativity_nominal(known, as.integer(factor(types)), directed = FALSE))
for (gname in c("Lived experience", "Charity", "Pooled")) {
  a <- types[ends_k[, 1]] == gname; b <- types[ends_k[, 2]] == gname
  e_g <- sum(xor(a, b)); i_g <- sum(a & b)
  vec(sprintf("group_%s", gsub(" ", "_", gname)), c(e_g, i_g, (e_g - i_g) / (e_g + i_g)))
}
m <- length(types); sizes <- table(types)
vec("ei_expected", 1 - 2 * sum(sizes * (sizes - 1)) / (m * (m - 1)))

# Brokers.
b <- betweenness(u, directed = FALSE, normalized = TRUE)
vec("betweenness", b[roster])
top <- names(sort(-b[roster]))[1:ceiling(n / 10)]  # no tie at the cut here (checked below)
vec("betweenness_cut", c(sort(b, decreasing = TRUE)[ceiling(n / 10)],
                         sort(b, decreasing = TRUE)[ceiling(n / 10) + 1]))
cat(sprintf("# top: %s\n", paste(top, collapse = ", ")))
rest <- setdiff(roster, top)
share <- 0; pairs <- 0
for (i in seq_along(rest)) for (j in seq_along(rest)) {
  if (j <= i) next
  s <- rest[i]; t <- rest[j]
  if (!is.finite(distances(u, s, t))) next
  p <- all_shortest_paths(u, s, t)$res
  through <- sum(vapply(p, function(path) {
    inner <- as_ids(path)[-c(1, length(path))]
    any(inner %in% top)
  }, logical(1)))
  share <- share + through / length(p); pairs <- pairs + 1
}
vec("paths_through_top", share / pairs)
vec("connected_pairs", pairs)
el <- ends(u, E(u))
vec("ties_touching_top", mean(el[, 1] %in% top | el[, 2] %in% top))
