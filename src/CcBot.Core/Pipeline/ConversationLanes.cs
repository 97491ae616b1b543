namespace CcBot.Core.Pipeline;

/// <summary>
/// Runs work items so that items with the same key run one at a time in arrival order, while different keys
/// run in parallel (bounded by <c>maxParallel</c>). A lane exists only while it has work. Each item runs in the
/// execution context of its own <see cref="Enqueue"/> call (its request's span and log scopes), not in that of the item
/// that opened the lane.
/// </summary>
public sealed class ConversationLanes(int maxParallel)
{
    private readonly Dictionary<string, Queue<Item>> _lanes = new(StringComparer.Ordinal);
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
                queue.Enqueue(new Item(work, ExecutionContext.Capture()));
                return;
            }

            _lanes[key] = new Queue<Item>();
        }

        // The lane's first item runs in this caller's flow already.
        _ = RunLaneAsync(key, new Item(work, null));
    }

    private async Task RunLaneAsync(string key, Item first)
    {
        var next = first;
        while (true)
        {
            await _slots.WaitAsync().ConfigureAwait(false);
            try
            {
                await next.Start().ConfigureAwait(false);
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

    private sealed class Item(Func<Task> work, ExecutionContext? context)
    {
        public Task Start()
        {
            if (context is null)
            {
                return work();
            }

            Task? started = null;
            ExecutionContext.Run(context, _ => started = work(), null);
            return started!;
        }
    }
}
