# Reference numbers for tests/test_stats.py, computed with R and psych.
#
# Run from the repository root:
#   Rscript tests/r/reference_stats.R > tests/r/reference_stats.out
# The data are generated here with set.seed and printed in full, so the Python
# tests embed the same numbers (nothing else is shipped). Every result is
# printed with format(x, digits = 15).
suppressPackageStartupMessages(library(psych))

show <- function(name, x) {
  x <- unlist(x)
  txt <- ifelse(is.na(x), "NA", format(x, digits = 15, trim = TRUE))
  cat(name, " = c(", paste(txt, collapse = ", "), ")\n", sep = "")
}
show_matrix <- function(name, m) {
  cat(name, " (", nrow(m), " x ", ncol(m), ", by row):\n", sep = "")
  for (i in seq_len(nrow(m))) show(paste0("  row", i), m[i, ])
}
show_test <- function(name, t) {
  cat(name, ": ", t$method, "\n", sep = "")
  show(paste0("  ", names(t$statistic)), t$statistic)
  show("  p", t$p.value)
}
cat("R:", R.version.string, " psych:", as.character(packageVersion("psych")), "\n\n")

# ---------------------------------------------------------------- alpha
set.seed(20231107)
likert <- function(f, n) pmin(5, pmax(1, round(3 + 0.9 * f + rnorm(n, sd = 0.9))))
n <- 30
f <- rnorm(n)
a5 <- sapply(1:5, function(j) likert(f, n))
a5[sample(length(a5), 15)] <- NA
a5[7, ] <- NA # a row with no answers: psych still counts it in n (nsub = nrow)
cat("== alpha5: 30 x 5, NA = missing\n")
show_matrix("data", a5)
r5 <- alpha(a5, use = "pairwise", check.keys = FALSE, warnings = FALSE)
show_matrix("cov_pairwise", cov(a5, use = "pairwise"))
show("raw_alpha", r5$total$raw_alpha)
show("feldt", c(r5$feldt$lower.ci, r5$feldt$upper.ci))
show("r_drop", r5$item.stats$r.drop)
show("alpha_drop", r5$alpha.drop$raw_alpha)
show("feldt_n_rows", nrow(a5))
cat("\n")

m <- 12
g <- rnorm(m)
a3 <- sapply(1:3, function(j) likert(g, m))
a3[, 3] <- 6 - a3[, 3] # a badly keyed item: negative covariances
a3[c(2, 9, 17, 30)] <- NA
cat("== alpha3: 12 x 3, third item keyed the wrong way\n")
show_matrix("data", a3)
r3 <- alpha(a3, use = "pairwise", check.keys = FALSE, warnings = FALSE)
show("raw_alpha", r3$total$raw_alpha)
show("feldt", c(r3$feldt$lower.ci, r3$feldt$upper.ci))
show("r_drop", r3$item.stats$r.drop)
show("alpha_drop", r3$alpha.drop$raw_alpha)
cat("\n")

cat("== Feldt interval of the psychTools bfi Agreeableness reference (alpha.ci)\n")
ci <- alpha.ci(0.7030184, n.obs = 2800, n.var = 5, digits = 15)
show("feldt_bfi", c(ci$lower.ci, ci$upper.ci))
cat("\n")

# ---------------------------------------------------------------- descriptives
cat("== descriptives\n")
d <- c(3, 4.5, NA, 2, 5, 4, 3.5, NA, 1, 4)
show("x", d)
show("mean_sd_median", c(mean(d, na.rm = TRUE), sd(d, na.rm = TRUE), median(d, na.rm = TRUE)))
cat("\n")

# ---------------------------------------------------------------- signed rank
cat("== paired 1: float noise hides a tie (|d| = 0.653 twice) from R's default\n")
b1 <- round(runif(12, 1, 5), 3)
a1 <- round(b1 + rnorm(12, 0.4, 0.8), 3)
show("after", a1); show("before", b1)
show_test("paired1_default", wilcox.test(a1, b1, paired = TRUE))
show_test("paired1_rounded", wilcox.test(round(a1 - b1, 10)))
cat("\n")

cat("== paired 2: ties and zeros (means of two 1-5 items), normal approximation\n")
sc <- function(n, shift) (sample(1:5, n, TRUE) + pmin(5, sample(1:5, n, TRUE) + shift)) / 2
b2 <- sc(25, 0); a2 <- pmin(5, b2 + sample(c(-1, -0.5, 0, 0, 0.5, 0.5, 1, 1.5), 25, TRUE))
a2[c(4, 18)] <- NA # incomplete pairs are dropped
show("after", a2); show("before", b2)
show_test("paired2", wilcox.test(a2, b2, paired = TRUE))
cat("\n")

cat("== paired 3: n = 60, no ties, no zeros, normal approximation (n >= 50)\n")
b3 <- round(runif(60, 1, 5), 4)
a3p <- round(b3 + rnorm(60, 0.15, 0.7), 4)
show("after", a3p); show("before", b3)
show_test("paired3", wilcox.test(a3p, b3, paired = TRUE))
cat("\n")

cat("== paired 4: ties but no zeros, n = 9 (normal approximation though n < 50)\n")
a4 <- c(4, 3.5, 5, 2, 4.5, 3, 4, 5, 2.5)
b4 <- c(3, 3, 4, 3, 3.5, 2, 3.5, 4.5, 2)
show("after", a4); show("before", b4)
show_test("paired4", wilcox.test(a4, b4, paired = TRUE))
cat("\n")

cat("== paired 5: means of three items; float noise in the differences\n")
i5 <- matrix(sample(1:5, 8 * 6, TRUE), ncol = 6)
a5p <- rowMeans(i5[, 1:3]); b5 <- rowMeans(i5[, 4:6])
show("after_items", t(i5[, 1:3])); show("before_items", t(i5[, 4:6]))
show_test("paired5_default", wilcox.test(a5p, b5, paired = TRUE))
show_test("paired5_rounded", wilcox.test(round(a5p - b5, 10)))
cat("\n")

cat("== paired 6: float noise that R's default treats as a non-zero difference\n")
a6 <- c(0.1 + 0.2, 1.5, 2.25, 3, 0.75, 4)
b6 <- c(0.3, 1, 3, 2, 0.5, 2.5)
show("after", a6); show("before", b6)
show_test("paired6_default", wilcox.test(a6, b6, paired = TRUE))
show_test("paired6_rounded", wilcox.test(round(a6 - b6, 10)))
cat("\n")

# ---------------------------------------------------------------- rank sum
cat("== unpaired 1: exact branch (9 and 11 values, no ties)\n")
x1 <- round(rnorm(9, 3.6, 0.7), 3); y1 <- round(rnorm(11, 3.1, 0.7), 3)
show("after", x1); show("before", y1)
show_test("unpaired1", wilcox.test(x1, y1))
cat("\n")

cat("== unpaired 2: ties (means of two 1-5 items), normal approximation\n")
x2 <- sc(30, 1); y2 <- sc(26, 0)
x2[c(3, 11)] <- NA
show("after", x2); show("before", y2)
show_test("unpaired2", wilcox.test(x2, y2))
cat("\n")

cat("== unpaired 3: 55 and 60 values, no ties, normal approximation\n")
x3 <- round(rnorm(55, 3.3, 0.8), 5); y3 <- round(rnorm(60, 3.5, 0.8), 5)
show("after", x3); show("before", y3)
show_test("unpaired3", wilcox.test(x3, y3))
cat("\n")

cat("== unpaired 4: 10 and 50 values, no ties, normal approximation (n2 >= 50)\n")
x4 <- round(rnorm(10, 3.8, 0.6), 5); y4 <- round(rnorm(50, 3.4, 0.6), 5)
show("after", x4); show("before", y4)
show_test("unpaired4", wilcox.test(x4, y4))
cat("\n")

# ---------------------------------------------------------------- BH, chi-square
cat("== p.adjust BH with a missing p-value\n")
p <- c(0.01, NA, 0.04, 0.03, 0.2, 0.04, 0.005)
show("p", p)
show("bh", p.adjust(p, method = "BH"))
cat("\n")

cat("== chisq.test goodness of fit\n")
o1 <- c(30, 12, 8); e1 <- c(50, 30, 20)
show("observed1", o1); show("expected1", e1)
c1 <- chisq.test(o1, p = e1 / sum(e1))
show("chisq1", c(c1$statistic, c1$parameter, c1$p.value))
o2 <- c(41, 7, 19, 3); e2 <- c(120, 40, 30, 10)
show("observed2", o2); show("expected2", e2)
c2 <- chisq.test(o2, p = e2 / sum(e2))
show("chisq2", c(c2$statistic, c2$parameter, c2$p.value))
cat("\n")

# Drawn last so that the data above stay as they were first generated.
cat("== paired 7: exact branch (n = 14, no ties, no zeros after rounding)\n")
repeat {
  d7 <- round(rnorm(14, 0.3, 0.9), 2)
  if (all(d7 != 0) && !anyDuplicated(abs(d7))) break
}
b7 <- round(runif(14, 1, 5), 2)
a7 <- b7 + d7
show("after", a7); show("before", b7)
show_test("paired7_default", wilcox.test(a7, b7, paired = TRUE))
show_test("paired7_rounded", wilcox.test(round(a7 - b7, 10)))
