namespace StockForecaster.Validation;

/// <summary>Parsed rows of one series, column-wise, each with its source line; grows only by <see cref="Add"/>.</summary>
internal sealed class PriceRows
{
    /// <summary>Creates room for <paramref name="capacity"/> rows.</summary>
    public PriceRows(int capacity)
    {
        Dates = new DateOnly[capacity];
        Open = new double[capacity];
        High = new double[capacity];
        Low = new double[capacity];
        Close = new double[capacity];
        AdjClose = new double[capacity];
        Volume = new long[capacity];
        Lines = new int[capacity];
    }

    /// <summary>Gets the number of rows held.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the dates.</summary>
    public DateOnly[] Dates { get; }

    /// <summary>Gets the opening prices.</summary>
    public double[] Open { get; }

    /// <summary>Gets the highs.</summary>
    public double[] High { get; }

    /// <summary>Gets the lows.</summary>
    public double[] Low { get; }

    /// <summary>Gets the closes.</summary>
    public double[] Close { get; }

    /// <summary>Gets the adjusted closes.</summary>
    public double[] AdjClose { get; }

    /// <summary>Gets the volumes.</summary>
    public long[] Volume { get; }

    /// <summary>Gets the 1-based source line of each row, 0 for a row filled forward.</summary>
    public int[] Lines { get; }

    /// <summary>Appends a row.</summary>
    public void Add(DateOnly date, double open, double high, double low, double close, double adjClose, long volume, int line)
    {
        int i = Count++;
        Dates[i] = date;
        Open[i] = open;
        High[i] = high;
        Low[i] = low;
        Close[i] = close;
        AdjClose[i] = adjClose;
        Volume[i] = volume;
        Lines[i] = line;
    }

    /// <summary>Returns the first <see cref="Count"/> entries of <paramref name="column"/>: the array itself when it is full, which is the usual case, else a copy.</summary>
    public T[] Filled<T>(T[] column) => Count == column.Length ? column : column.AsSpan(0, Count).ToArray();

    /// <summary>Appends row <paramref name="index"/> of <paramref name="other"/>.</summary>
    public void AddFrom(PriceRows other, int index) =>
        Add(other.Dates[index], other.Open[index], other.High[index], other.Low[index], other.Close[index], other.AdjClose[index], other.Volume[index], other.Lines[index]);

    /// <summary>Returns whether rows <paramref name="a"/> and <paramref name="b"/> hold the same values (lines aside).</summary>
    public bool SameValues(int a, int b) =>
        Dates[a] == Dates[b] && Open[a].Equals(Open[b]) && High[a].Equals(High[b]) && Low[a].Equals(Low[b])
        && Close[a].Equals(Close[b]) && AdjClose[a].Equals(AdjClose[b]) && Volume[a] == Volume[b];
}
