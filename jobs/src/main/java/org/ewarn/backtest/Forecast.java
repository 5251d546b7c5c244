package org.ewarn.backtest;

/**
 * One out-of-sample forecast: trained on years ≤ {@code origin}, scored on the predictors of
 * {@code year} (= origin + 2), the year the forecast counts as "made".
 */
public record Forecast(String model, int origin, int year, int ccode, String country, double risk, int rank) {}
