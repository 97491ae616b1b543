namespace CcBot.Nlu;

/// <summary>An L2-normalized sparse vector: unique <see cref="Indices"/> with their <see cref="Values"/>.</summary>
public sealed record SparseVector(int[] Indices, float[] Values)
{
    public int Count => Indices.Length;
}
