#!/usr/bin/env Rscript
# The Early Warning Project's fully out-of-sample annual back-test with R's glmnet, the reference
# implementation our elastic net ports: for each last training year L = 1991 ... 2021, cv.glmnet
# (binomial, alpha = 0.5, 10 folds, lambda.min) on the complete rows with year <= L, scoring year
# L + 2. jobs/bin/benchmark-backtest runs it (when R and glmnet are installed) for the timing
# comparison in BENCHMARKS.md. Folds are R's own random ones, so risks differ slightly from ours
# (which use a seeded Java shuffle); the pooled figures printed are for orientation only.
#
#   Rscript jobs/bench/annual-backtest-glmnet.R [prepared-predictors-2025.csv.gz]
suppressMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
file <- if (length(args) >= 1) args[1] else "jobs/data/ewp/prepared-predictors-2025.csv.gz"
started <- proc.time()[["elapsed"]]
d <- read.csv(gzfile(file))
outcomes <- c("mk_onset_1or2", "mk_onset", "mk_onset_1", "mk_onset_2")
predictors <- setdiff(names(d), c("ewp_name", "year", "ccode", outcomes))
set.seed(20250102)
made <- list()
for (last in 1991:2021) {
  train <- d[d$year <= last, c(predictors, "mk_onset_1or2")]
  train <- train[complete.cases(train), ]
  test <- d[d$year == last + 2, c("ccode", predictors)]
  test <- test[complete.cases(test), ]
  fit <- cv.glmnet(as.matrix(train[, predictors]), train$mk_onset_1or2, family = "binomial",
                   alpha = 0.5, nfolds = 10)
  risk <- as.numeric(predict(fit, newx = as.matrix(test[, predictors]), s = "lambda.min",
                             type = "response"))
  made[[length(made) + 1]] <- data.frame(key = paste(test$ccode, last + 2), risk = risk,
                                         rank = rank(-risk, ties.method = "min"))
}
made <- do.call(rbind, made)
w <- d[d$year >= 1994 & !is.na(d$mk_onset), c("ccode", "year", "mk_onset")]
at <- function(lag, what) made[[what]][match(paste(w$ccode, w$year - lag), made$key)]
w$maxrisk2 <- pmax(at(1, "risk"), at(2, "risk"), na.rm = TRUE)
w$minrank2 <- pmin(at(1, "rank"), at(2, "rank"), na.rm = TRUE)
scored <- w[!is.na(w$maxrisk2), ]
r <- rank(scored$maxrisk2)
pos <- sum(scored$mk_onset == 1)
neg <- sum(scored$mk_onset == 0)
auc <- (sum(r[scored$mk_onset == 1]) - pos * (pos + 1) / 2) / (pos * neg)
recall30 <- mean(!is.na(w$minrank2[w$mk_onset == 1]) & w$minrank2[w$mk_onset == 1] <= 30)
cat(sprintf("glmnet %s, R %s: %d origins, %d forecasts in %.1f s; pooled AUC %.3f, recall@30 %.3f\n",
            packageVersion("glmnet"), getRversion(), 31, nrow(made),
            proc.time()[["elapsed"]] - started, auc, recall30))
