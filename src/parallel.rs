//! Work shared out over the cores, results in input order.

/// `f` over `items` in order, on every core when there are many (rendering 45,000
/// remediations of a 10,000-document check takes a second on one core; printing
/// them, a quarter of one).
pub fn map<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> Option<U> + Sync) -> Vec<U> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    if workers <= 1 || items.len() < 512 {
        return items.into_iter().filter_map(f).collect();
    }
    let size = items.len().div_ceil(workers);
    let mut chunks: Vec<Vec<T>> = Vec::with_capacity(workers);
    let mut items = items.into_iter();
    loop {
        let chunk: Vec<T> = items.by_ref().take(size).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(|| chunk.into_iter().filter_map(&f).collect::<Vec<U>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}
