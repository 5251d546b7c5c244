package org.ewarn.backtest;

/**
 * The warning for one country-year in the shape of EWP's published back-tests: the forecasts
 * made one and two years before, their larger risk ({@code maxrisk2}) and smaller rank
 * ({@code minrank2}). Missing forecasts are null.
 */
public record Warning(
    String model, int year, String country, int ccode, int mkOnset,
    Double riskPrev, Integer rankPrev, Double riskTwoYearsPrior, Integer rankTwoYearsPrior,
    Double maxrisk2, Integer minrank2) {}
