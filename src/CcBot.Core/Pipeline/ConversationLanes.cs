namespace CcBot.Core.Pipeline;

/// <summary>
/// Runs work items so that items with the same key run one at a time in arrival order, while different keys
/// run in parallel (bounded by <c>maxParallel</c>). A lane exists only while it has work.
/// </summary>
public sealed class ConversationLanes(int maxParallel)
{
    private readonly Dictionary<string, Queue<Func<Task>>> _lanes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(Math.Max(1, maxParallel));

    /// <summary>Number of lanes with queued or running work.</summary>
    public int ActiveLanes
    {
        get
        {
            lock (_lanes)
            {
                return _lanes.Count;
            }
        }
    }

    public void Enqueue(string key, Func<Task> work)
    {
        lock (_lanes)
        {
            if (_lanes.TryGetValue(key, out var queue))
            {
                queue.Enqueue(work);
                return;
            }

            _lanes[key] = new Queue<Func<Task>>();
        }

        _ = RunLaneAsync(key, work);
    }

    private async Task RunLaneAsync(string key, Func<Task> first)
    {
        var next = first;
        while (true)
        {
            await _slots.WaitAsync().ConfigureAwait(false);
            try
            {
                await next().ConfigureAwait(false);
            }
            catch
            {
                // Work items report their own failures; a lane never dies.
            }
            finally
            {
                _slots.Release();
            }

            lock (_lanes)
            {
                var queue = _lanes[key];
                if (queue.Count == 0)
                {
                    _lanes.Remove(key);
                    return;
                }

                next = queue.Dequeue();
            }
        }
    }
}
