# Reference numbers for tests/test_change.py and tests/test_representation.py, with base R.
#
# Run from the repository root:
#   Rscript tests/r/reference_change.R > tests/r/reference_change.out
# The waves below are the same made-up answers the Python tests build inline. R scores
# them itself (reverse-keyed a3 as 6 - a3; a respondent's dimension score is the mean of
# the answered items when at least ceil(k/2) of the k items are answered), then runs
# wilcox.test, p.adjust, chisq.test and weighted.mean with their defaults.
show <- function(name, x) {
  x <- unlist(x)
  txt <- ifelse(is.na(x), "NA", format(x, digits = 15, trim = TRUE))
  cat(name, " = c(", paste(txt, collapse = ", "), ")\n", sep = "")
}
score <- function(m) {
  m <- as.matrix(m)
  answered <- rowSums(!is.na(m))
  s <- rowSums(m, na.rm = TRUE) / answered
  s[answered < ceiling(ncol(m) / 2)] <- NA
  s
}
paired <- function(name, after, before) {
  ok <- !is.na(after) & !is.na(before)
  a <- after[ok]; b <- before[ok]
  t <- suppressWarnings(wilcox.test(a, b, paired = TRUE))
  d <- round(a - b, 10); d <- d[d != 0]
  r <- rank(abs(d)); tot <- length(d) * (length(d) + 1) / 2
  v <- sum(r[d > 0])
  cat(name, ": ", t$method, "\n", sep = "")
  show("  n_matched", sum(ok))
  show("  after_matched", a); show("  before_matched", b)
  show("  V", t$statistic); show("  p", t$p.value)
  show("  exact_branch", length(d) < 50 && !any(duplicated(r)) && length(d) == sum(ok))
  show("  effect_rank_biserial", (v - (tot - v)) / tot)
  show("  improved_same_declined", c(sum(a > b), sum(a == b), sum(a < b)))
  t$p.value
}
unpaired <- function(name, after, before) {
  a <- after[!is.na(after)]; b <- before[!is.na(before)]
  t <- suppressWarnings(wilcox.test(a, b))
  cat(name, ": ", t$method, "\n", sep = "")
  show("  n_after_before", c(length(a), length(b)))
  show("  W", t$statistic); show("  p", t$p.value)
  show("  exact_branch", length(a) < 50 && length(b) < 50 && !any(duplicated(c(a, b))))
  show("  effect_rank_biserial", 2 * t$statistic / (length(a) * length(b)) - 1)
  t$p.value
}
means <- function(name, after, before) {
  show(paste0(name, "_before_after_difference"),
       c(mean(before, na.rm = TRUE), mean(after, na.rm = TRUE),
         mean(after, na.rm = TRUE) - mean(before, na.rm = TRUE)))
}
cat(R.version.string, "\n\n")

# ------------------------------------------------------------------ paired waves
# Keys m01..m12 answered this wave; m01..m10 and b13 the baseline. The baseline's
# template had no a2, so lead is compared on a1 and a3 only (both waves).
cat("== paired waves (respondent keys); lead on a1, a3 (a2 not in the baseline)\n")
A <- data.frame(
  key = sprintf("m%02d", 1:12),
  a1 = c(4, 3, 4, 3, 3, 4, 4, 5, 3, 3, 5, 2),
  a3 = c(2, 3, 2, 3, 3, 3, 3, 2, 3, 2, 1, 3),
  n1 = c(4, 4, 5, 5, 5, 2, 3, 4, 2, 3, 4, 3),
  n2 = c(3, 4, 5, 5, 5, 2, 4, 4, 3, 3, 5, 3),
  w1 = c(4, 3, 4, 3, 4, 3, 5, 4, 2, 4, 5, 3),
  w2 = c(4, 4, 4, 3, 5, 4, 5, 3, 3, 4, 4, 3),
  v1 = c(4, 4, 3, 3, 2, 5, 4, 3, 4, 5, 3, 4),
  v2 = c(4, 5, 3, 4, 2, 5, 4, 3, 3, 4, 3, 4))
B <- data.frame(
  key = c(sprintf("m%02d", 1:10), "b13"),
  a1 = c(3, 2, 4, 3, 3, 4, 2, 3, 1, 4, 2),
  a3 = c(3, 4, 2, 3, 4, 2, 4, 2, 5, 1, 3),
  n1 = c(3, 2, 4, 3, 4, 5, NA, NA, NA, NA, 4),
  n2 = c(3, 2, 4, 2, 3, 5, NA, NA, NA, NA, 4),
  w1 = c(3, 2, 3, 2, NA, NA, NA, NA, NA, NA, 3),
  w2 = c(3, 3, 4, 2, NA, NA, NA, NA, NA, NA, 3),
  v1 = c(3, 4, NA, NA, NA, NA, NA, NA, NA, NA, 2),
  v2 = c(3, 4, NA, NA, NA, NA, NA, NA, NA, NA, 3))
m <- match(A$key, B$key)  # this wave's row -> baseline row (NA: not in the baseline)
sa <- list(lead = score(cbind(A$a1, 6 - A$a3)), the_net = score(A[, c("n1", "n2")]),
           work = score(A[, c("w1", "w2")]), voice = score(A[, c("v1", "v2")]))
sb <- list(lead = score(cbind(B$a1, 6 - B$a3)), the_net = score(B[, c("n1", "n2")]),
           work = score(B[, c("w1", "w2")]), voice = score(B[, c("v1", "v2")]))
for (d in names(sa)) { show(paste0(d, "_after"), sa[[d]]); show(paste0(d, "_before"), sb[[d]]) }
for (d in names(sa)) means(d, sa[[d]], sb[[d]])
p_lead <- paired("lead (ties and zeros: normal approximation)", sa$lead, sb$lead[m])
p_net <- paired("the_net (no ties, no zeros, n = 6: exact)", sa$the_net, sb$the_net[m])
show("work_n_matched", sum(!is.na(sa$work) & !is.na(sb$work[m])))
p_work <- unpaired("work (4 matched < 5: two groups, ties)", sa$work, sb$work)
show("voice_n_before", sum(!is.na(sb$voice)))
p_all <- c(lead = p_lead, the_net = p_net, work = p_work, voice = NA)
show("p", p_all)
show("p_adjusted_BH", p.adjust(p_all, method = "BH"))
cat("\n")

# ------------------------------------------------------------------ unpaired waves
cat("== unpaired waves (no respondent keys); all items in both\n")
A2 <- data.frame(
  a1 = c(5, 4, 4, 5, 3), a2 = c(5, 5, 4, 5, 4), a3 = c(1, 2, 3, 2, 3),
  n1 = c(4, 3, 4, 3, 5), n2 = c(4, 4, 5, 3, 5),
  w1 = c(4, 3, 4, 5, 3), w2 = c(4, 3, 5, 5, 4),
  v1 = c(3, 3, 3, 3, 3), v2 = c(3, 3, 3, 3, 3))
B2 <- data.frame(
  a1 = c(4, 3, 3, 2, 2), a2 = c(4, 3, 2, 2, 2), a3 = c(2, 3, 3, 3, 4),
  n1 = c(3, 2, 4, 3, 2), n2 = c(3, 3, 4, 3, 2),
  w1 = c(3, 4, 2, 3, NA), w2 = c(3, 4, 3, 4, NA),
  v1 = c(3, 3, 3, 3, 3), v2 = c(3, 3, 3, 3, 3))
ua <- list(lead = score(cbind(A2$a1, A2$a2, 6 - A2$a3)), the_net = score(A2[, c("n1", "n2")]),
           work = score(A2[, c("w1", "w2")]), voice = score(A2[, c("v1", "v2")]))
ub <- list(lead = score(cbind(B2$a1, B2$a2, 6 - B2$a3)), the_net = score(B2[, c("n1", "n2")]),
           work = score(B2[, c("w1", "w2")]), voice = score(B2[, c("v1", "v2")]))
for (d in names(ua)) { show(paste0(d, "_after"), ua[[d]]); show(paste0(d, "_before"), ub[[d]]) }
for (d in names(ua)) means(d, ua[[d]], ub[[d]])
q_lead <- unpaired("lead (no ties: exact)", ua$lead, ub$lead)
q_net <- unpaired("the_net (ties: normal approximation)", ua$the_net, ub$the_net)
show("work_n_before", sum(!is.na(ub$work)))
q_voice <- unpaired("voice (every score 3: R gives NaN)", ua$voice, ub$voice)
q_all <- c(lead = q_lead, the_net = q_net, work = NA, voice = q_voice)
show("p", q_all)
show("p_adjusted_BH", p.adjust(q_all, method = "BH"))
cat("\n")

# ------------------------------------------------------------------ who we heard from
cat("== chi-square goodness of fit: respondents by role against the membership\n")
members <- c(Member = 40, Staff = 6, Funder = 10)
respondents <- c(Member = 24, Staff = 6, Funder = 2)
t1 <- suppressWarnings(chisq.test(respondents, p = members / sum(members)))
show("all groups: X-squared, df, p", c(t1$statistic, t1$parameter, t1$p.value))
show("expected", t1$expected)
pooled <- c(Member = 24, Hidden = 8)
t2 <- suppressWarnings(chisq.test(pooled, p = c(40, 16) / 56))
show("Staff and Funder pooled: X-squared, df, p", c(t2$statistic, t2$parameter, t2$p.value))
cat("\n")

cat("== post-stratification weights: lead scores by role\n")
role <- c("Member", "Member", "Member", "Member", "Staff", "Staff", "Staff", "Funder", "Funder")
x <- c(4, 3.5, 3, 4.5, 2, 2.5, 3, 5, 4)
n_g <- table(role)[names(members)]
w_g <- (members / sum(members)) / (as.numeric(n_g) / length(role))
w <- w_g[role]
show("weights Member, Staff, Funder", w_g)
show("weighted.mean", weighted.mean(x, w))
show("mean", mean(x))
show("n_effective", sum(w)^2 / sum(w^2))
