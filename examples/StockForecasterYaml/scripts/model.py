"""model: AR(1) on daily log returns, refitted each day of a walk-forward backtest against the random walk; refuses a diverged fit."""
import json
import math
import os
import sys


def fit(returns):
    """Least squares of r[t] = c + phi * r[t-1]: returns (c, phi)."""
    x, y = returns[:-1], returns[1:]
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxx = sum((a - mx) ** 2 for a in x)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    phi = sxy / sxx if sxx > 0 else float("nan")
    return my - phi * mx, phi


def main(clean_path, output):
    clean = json.load(open(clean_path, encoding="utf-8"))
    window, test = int(os.environ["WINDOW_DAYS"]), int(os.environ["TEST_DAYS"])
    margin = float(os.environ["DIVERGENCE_MARGIN"])
    prices = clean["adjclose"]
    returns = [math.log(b / a) for a, b in zip(prices, prices[1:])]
    if len(returns) < window + test:
        sys.exit(f"model: {len(returns)} returns, need WINDOW_DAYS + TEST_DAYS = {window + test}")

    ar_errors, rw_errors = [], []
    for t in range(len(returns) - test, len(returns)):
        c, phi = fit(returns[t - window:t])
        ar_errors.append(returns[t] - (c + phi * returns[t - 1]))
        rw_errors.append(returns[t])
    rmse = math.sqrt(sum(e * e for e in ar_errors) / test)
    rw_rmse = math.sqrt(sum(e * e for e in rw_errors) / test)
    c, phi = fit(returns[-window:])

    reasons = []
    if not (math.isfinite(c) and math.isfinite(phi)):
        reasons.append(f"non-finite coefficients (c={c}, phi={phi})")
    elif abs(phi) >= 1:
        reasons.append(f"non-stationary fit: |phi| = {abs(phi):.4f} >= 1")
    if rmse > rw_rmse * (1 + margin):
        reasons.append(f"backtest RMSE {rmse:.6f} is worse than the random walk's {rw_rmse:.6f} by more than {margin:.0%}")
    if reasons:
        # Exit 1 without writing: the last good data/model.json stays published.
        sys.exit("model diverged: " + "; ".join(reasons))

    forecast = c + phi * returns[-1]
    model = {"ticker": clean["ticker"], "model": "AR(1) on log returns", "window_days": window, "test_days": test,
             "c": c, "phi": phi, "rmse": rmse, "random_walk_rmse": rw_rmse, "theil_u": rmse / rw_rmse,
             "last_date": clean["dates"][-1], "next_day_return": forecast,
             "next_day_price": prices[-1] * math.exp(forecast)}
    with open(output, "w", encoding="utf-8") as f:
        json.dump(model, f, indent=2)
        f.write("\n")
    print(f"AR(1): phi {phi:.4f}, RMSE {rmse:.6f} vs random walk {rw_rmse:.6f} (Theil's U {rmse / rw_rmse:.4f})")


if __name__ == "__main__":
    main(*sys.argv[1:3])
