"""report: a plain-text summary of the data and the model."""
import json
import sys


def main(clean_path, model_path, output):
    clean = json.load(open(clean_path, encoding="utf-8"))
    m = json.load(open(model_path, encoding="utf-8"))
    lines = [
        f"Stock forecaster report: {m['ticker']}",
        f"data          {len(clean['dates'])} trading days, {clean['dates'][0]} to {clean['dates'][-1]}",
        f"last close    {clean['adjclose'][-1]:.2f} on {m['last_date']}",
        f"model         {m['model']}, window {m['window_days']} days, backtest {m['test_days']} days",
        f"coefficients  c = {m['c']:.6f}, phi = {m['phi']:.4f}",
        f"backtest      RMSE {m['rmse']:.6f} vs random walk {m['random_walk_rmse']:.6f} (Theil's U {m['theil_u']:.4f})",
        f"forecast      next day {m['next_day_price']:.2f} ({m['next_day_return']:+.4%})",
    ]
    with open(output, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
