# Reference numbers for tests/test_honest_stats.py (issue 13: honest statistics), with R,
# psych and survey.
#
# Run from the repository root:
#   Rscript tests/r/reference_honest.R > tests/r/reference_honest.out
# Every data set is written here and printed in full in the .out file; the Python tests
# read the data AND the expected figures from that committed output, so both sides work
# on the same numbers. The data have ties, zero differences, missing answers and small
# groups on purpose. Every result is printed with format(x, digits = 15).
suppressPackageStartupMessages({
  library(psych)
  library(survey)
})
show <- function(name, x) {
  x <- unlist(x)
  txt <- ifelse(is.na(x), "NA", format(x, digits = 15, trim = TRUE))
  cat(name, " = c(", paste(txt, collapse = ", "), ")\n", sep = "")
}
show_matrix <- function(name, m) {
  for (j in seq_len(ncol(m))) show(paste0(name, ".", j), m[, j])
}
cat("R:", R.version.string, " psych:", as.character(packageVersion("psych")),
    " survey:", as.character(packageVersion("survey")), "\n\n")

# ------------------------------------------------------------------ 1. matched change
# wilcox.test(after, before, paired = TRUE, conf.int = TRUE) on differences rounded to
# 10 decimals, i.e. wilcox.test(round(after - before, 10), conf.int = TRUE).
hl_paired <- function(name, after, before) {
  show(paste0(name, ".after"), after)
  show(paste0(name, ".before"), before)
  ok <- !is.na(after) & !is.na(before)
  d <- round(after[ok] - before[ok], 10)
  t <- suppressWarnings(wilcox.test(d, conf.int = TRUE))
  show(paste0(name, ".matched_difference"), mean(after[ok] - before[ok]))
  show(paste0(name, ".estimate"), t$estimate)
  show(paste0(name, ".ci"), t$conf.int)
  show(paste0(name, ".level"), attr(t$conf.int, "conf.level"))
  show(paste0(name, ".p"), t$p.value)
}
hl_two <- function(name, after, before) {
  show(paste0(name, ".after"), after)
  show(paste0(name, ".before"), before)
  a <- round(after[!is.na(after)], 10); b <- round(before[!is.na(before)], 10)
  t <- suppressWarnings(wilcox.test(a, b, conf.int = TRUE))
  show(paste0(name, ".estimate"), t$estimate)
  show(paste0(name, ".ci"), t$conf.int)
  show(paste0(name, ".level"), attr(t$conf.int, "conf.level"))
  show(paste0(name, ".p"), t$p.value)
}
cat("== 1. matched change\n")
# Means of answers on a 1-5 scale: ties, three zero differences, a missing score.
hl_paired("ties",
  c(3.5, 3, 4, 4, 3, 2.5, 3.5, 4.5, 3.5, 3, 2.5, 4.5, 4, 3),
  c(3, 2.5, 4, 3, NA, 2, 3.5, 4, 3, 2.5, 3, 4.5, 3, 2))
# A fall that the all-respondent means hide.
hl_paired("fall",
  c(2.5, 3, 2, 3.5, 2.5, 3, 2, 2.5, NA, 3),
  c(3, 3.5, 3, 3.5, 3, 3.5, 3, 3, 4, 3.5))
set.seed(13)
hl_paired("exact", round(rnorm(12, 3.3, 0.6), 3), round(rnorm(12, 3, 0.6), 3))
hl_paired("few", c(4, 3.5, 3), c(3, 3, 3.25))
hl_paired("allsame", c(4, 4, 4, 4, 4), c(3, 3, 3, 3, 3))
hl_paired("large", round(3 + rnorm(80, 0.2, 0.7) * 2) / 2, round(3 + rnorm(80, 0, 0.7) * 2) / 2)
hl_two("two_ties", c(3.5, 3, 4, 4, 3, 2.5, NA, 4.5), c(3, 2.5, 4, 3, 2, 3.5, 4))
hl_two("two_exact", round(rnorm(7, 3.4, 0.5), 3), round(rnorm(6, 3, 0.5), 3))
hl_two("two_large", round(3 + rnorm(60, 0.2, 0.7) * 2) / 2, round(3 + rnorm(55, 0, 0.7) * 2) / 2)
cat("\n")

# ------------------------------------------------------------------ 2. alpha and omega
# Feldt's interval with n = the mean pairwise-complete n (psych::pairwiseCount), and
# omega_total from psych::omega(x, nfactors = 1) (minres; psych flips items whose
# loading is negative).
alpha_case <- function(name, x) {
  show_matrix(paste0(name, ".data"), x)
  a <- alpha(x, use = "pairwise", check.keys = FALSE, warnings = FALSE)$total$raw_alpha
  counts <- pairwiseCount(x)
  n_pair <- mean(counts[lower.tri(counts)])
  ci <- alpha.ci(a, n.obs = n_pair, n.var = ncol(x), p.val = 0.05, digits = 15)
  show(paste0(name, ".alpha"), a)
  show(paste0(name, ".min_pairwise_n"), min(counts[lower.tri(counts)]))
  show(paste0(name, ".mean_pairwise_n"), n_pair)
  show(paste0(name, ".feldt"), c(ci$lower.ci, ci$upper.ci))
  o <- suppressMessages(suppressWarnings(omega(x, nfactors = 1, plot = FALSE)))
  show(paste0(name, ".omega_total"), o$omega.tot)
}
cat("== 2. alpha and omega\n")
set.seed(20261201)
likert <- function(f, n, w) pmin(5, pmax(1, round(3 + w * f + rnorm(n, sd = 0.9))))
f <- rnorm(24)
x4 <- sapply(c(0.5, 0.8, 1, 0.7), function(w) likert(f, 24, w))
x4[sample(length(x4), 18)] <- NA
alpha_case("a4", x4)
f <- rnorm(16)
x3 <- sapply(c(0.9, 0.6, 0.8), function(w) likert(f, 16, w))
x3[, 3] <- 6 - x3[, 3] # keyed the wrong way: psych::omega flips it
x3[c(2, 5, 20, 33, 40)] <- NA
alpha_case("a3", x3)
cat("\n")

# ------------------------------------------------------------------ 3. intervals by n
cat("== 3. intervals\n")
m12 <- c(3.5, 4, 2.5, 3, 4.5, 3, 3, 4, NA, 2, 3.5, 4, 5)
show("t12.data", m12)
show("t12.ci", t.test(m12)$conf.int)
show("wilson.7_19", prop.test(7, 19, correct = FALSE)$conf.int)
show("wilson.0_12", prop.test(0, 12, correct = FALSE)$conf.int)
show("wilson.12_12", prop.test(12, 12, correct = FALSE)$conf.int)
# Finite population: 13 respondents with a score of a membership of 40.
d <- data.frame(x = m12[!is.na(m12)], N = 40)
des <- svydesign(ids = ~1, fpc = ~N, data = d)
show("fpc40.se", SE(svymean(~x, des)))
show("fpc40.mean", coef(svymean(~x, des)))
cat("\n")

# ------------------------------------------------------------------ 4. segments
# kruskal.test across small groups with ties, and BH over every segment x dimension test.
cat("== 4. segments\n")
g1 <- c(3.5, 4, 4, 3, 4.5, NA, 3.5)
g2 <- c(3, 2.5, 3, 3.5, 2, 3)
g3 <- c(4, 4.5, 5, 4, 3.5)
show("kw.g1", g1); show("kw.g2", g2); show("kw.g3", g3)
k3 <- kruskal.test(list(g1[!is.na(g1)], g2, g3))
show("kw.statistic", k3$statistic); show("kw.df", k3$parameter); show("kw.p", k3$p.value)
k2 <- kruskal.test(list(g1[!is.na(g1)], g2))
show("kw2.statistic", k2$statistic); show("kw2.p", k2$p.value)
ps <- c(k3$p.value, k2$p.value, 0.2, NA, 0.04)
show("bh.p", ps); show("bh.adjusted", p.adjust(ps, "BH"))
cat("\n")

# ------------------------------------------------------------------ 7. who we heard from
# chisq.test with a Monte Carlo p when an expected count is below 5, and the dissimilarity
# index 0.5 * sum(abs(x / sum(x) - p / sum(p))). R's generator is not numpy's, so the
# Python test compares within Monte Carlo error.
cat("== 7. who we heard from\n")
obs <- c(24, 6, 2); mem <- c(40, 6, 10)
show("mc.observed", obs); show("mc.members", mem)
set.seed(20231107)
t <- chisq.test(obs, p = mem / sum(mem), simulate.p.value = TRUE, B = 10000)
show("mc.p", t$p.value)
show("mc.statistic", t$statistic)
show("mc.asymptotic_p", suppressWarnings(chisq.test(obs, p = mem / sum(mem)))$p.value)
show("mc.dissimilarity", 0.5 * sum(abs(obs / sum(obs) - mem / sum(mem))))
obs2 <- c(3, 1, 0, 2); mem2 <- c(30, 10, 15, 5)
show("mc2.observed", obs2); show("mc2.members", mem2)
set.seed(1)
t2 <- chisq.test(obs2, p = mem2 / sum(mem2), simulate.p.value = TRUE, B = 10000)
show("mc2.p", t2$p.value)
show("mc2.dissimilarity", 0.5 * sum(abs(obs2 / sum(obs2) - mem2 / sum(mem2))))
# partial answers: share of scored respondents (half rule) who skipped an item
pm <- rbind(c(4, 3, NA), c(5, 5, 4), c(NA, NA, 2), c(3, NA, 3), c(2, 2, 2), c(4, 4, NA))
show_matrix("partial.data", pm)
answered <- rowSums(!is.na(pm)); scored <- answered >= ceiling(ncol(pm) / 2)
show("partial.pct", 100 * sum(scored & answered < ncol(pm)) / sum(scored))
cat("\n")

# ------------------------------------------------------------------ 6. raking
# survey::rake to two margins (population counts scaled to the respondents, as relimpact
# does), then svymean(~score, na.rm = TRUE): linearisation SE; confint; Kish's deff.
cat("== 6. raking\n")
rake_case <- function(name, role, time, score, pop_role, pop_time, cap = 5) {
  show(paste0(name, ".role"), role); show(paste0(name, ".time"), time)
  show(paste0(name, ".score"), score)
  show(paste0(name, ".pop_role"), pop_role); show(paste0(name, ".pop_time"), pop_time)
  d <- data.frame(role = factor(role), time = factor(time), score = score)
  n <- nrow(d)
  des <- svydesign(ids = ~1, weights = ~1, data = d)
  pr <- data.frame(role = levels(d$role), Freq = n * pop_role / sum(pop_role))
  pt <- data.frame(time = levels(d$time), Freq = n * pop_time / sum(pop_time))
  r <- rake(des, list(~role, ~time), list(pr, pt), control = list(maxit = 100, epsilon = 1e-9))
  r <- trimWeights(r, upper = cap * mean(weights(r)), strict = TRUE)
  m <- svymean(~score, r, na.rm = TRUE)
  show(paste0(name, ".weights"), weights(r))
  show(paste0(name, ".mean"), coef(m)); show(paste0(name, ".se"), SE(m))
  show(paste0(name, ".ci"), confint(m))
  w <- weights(r)[!is.na(score)]
  show(paste0(name, ".deff_kish"), length(w) * sum(w^2) / sum(w)^2)
  show(paste0(name, ".n_effective"), sum(w)^2 / sum(w^2))
}
rake_case("rk",
  role = c(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3),
  time = c(1, 2, 2, 3, 1, 2, 3, 3, 2, 1, 1, 2, 3, 3, 2, 2, 1, 3, 1, 2, 2, 3, 1, 2),
  score = c(3.5, 4, 4, 3, 2.5, NA, 3.5, 4.5, 4, 3, 2, 2.5, 3, 3.5, 3, 2.5, 2, 3,
            4.5, 5, 4, 4, NA, 4.5),
  pop_role = c(40, 30, 10), pop_time = c(20, 35, 25))
# one person stands for a large group: a weight above 5 x the mean is trimmed
rake_case("trim",
  role = c(rep(1, 12), rep(2, 7), 3),
  time = c(1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2),
  score = c(3, 4, 3.5, 4, 2.5, 3, 4, 4.5, 3, 3.5, 2, 3, 3.5, 4, 4.5, 3, 2.5, 3.5, 4, 1),
  pop_role = c(30, 20, 25), pop_time = c(40, 35))
cat("\n")
