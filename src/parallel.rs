//! Work shared out over the cores, results in input order.

use std::sync::{Mutex, OnceLock, PoisonError};

/// The cores this process may use, asked once: std asks the kernel and reads the
/// cgroup's CPU quota files at every call, three file opens each time.
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// `f` over `items` in order, on every core when there are many (rendering 45,000
/// remediations of a 10,000-document check takes a second on one core; printing
/// them, a quarter of one).
pub fn map<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> Option<U> + Sync) -> Vec<U> {
    let workers = cores();
    if workers <= 1 || items.len() < 512 {
        return items.into_iter().filter_map(f).collect();
    }
    let size = items.len().div_ceil(workers);
    let mut items = items.into_iter();
    let shares: Vec<Mutex<Vec<T>>> = (0..workers)
        .map(|_| Mutex::new(items.by_ref().take(size).collect()))
        .collect();
    tasks(shares.len(), |i| {
        let share = std::mem::take(&mut *shares[i].lock().unwrap_or_else(PoisonError::into_inner));
        share.into_iter().filter_map(&f).collect::<Vec<U>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// `f(0..count)` in order, each index a task taken by the next free core: for a few
/// large tasks of uneven size, which `map`'s equal shares would leave one core waiting
/// on.
pub fn tasks<U: Send>(count: usize, f: impl Fn(usize) -> U + Sync) -> Vec<U> {
    let workers = cores().min(count);
    if workers <= 1 {
        return (0..count).map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, U)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                std::thread::Builder::new()
                    // File parsers recurse up to MAX_DEPTH levels in a task; leave them room.
                    .stack_size(8 << 20)
                    .spawn_scoped(scope, || {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            if i >= count {
                                break done;
                            }
                            done.push((i, f(i)));
                        }
                    })
                    .expect("a worker thread starts")
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, u)| u).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tasks_come_back_in_order() {
        let squares = super::tasks(1000, |i| i * i);
        assert_eq!(squares, (0..1000).map(|i| i * i).collect::<Vec<_>>());
        assert!(super::tasks(0, |i| i).is_empty());
    }

    #[test]
    fn map_keeps_order_and_drops_nones() {
        let evens = super::map((0..5000).collect(), |i: usize| {
            i.is_multiple_of(2).then_some(i * 3)
        });
        assert_eq!(
            evens,
            (0..5000).step_by(2).map(|i| i * 3).collect::<Vec<_>>()
        );
    }
}
