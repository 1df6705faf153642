//! The one way the generator uses threads: a scoped map over independent items.
//!
//! Spec files load independently and operation modules emit and format independently, so
//! both spread over the machine's cores. Results come back in item order, whatever thread
//! did the work, so the output never depends on scheduling.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The number of threads to use when the caller does not say.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// How many threads [`map`] runs for `items` items and `jobs` allowed: never more than
/// there are items, and at least one.
pub fn workers(items: usize, jobs: usize) -> usize {
    jobs.clamp(1, items.max(1))
}

/// `items.iter().map(f).collect()`, on up to `jobs` threads (the calling thread is one of
/// them). Threads take the next unclaimed item, so uneven items balance themselves. A
/// panic in `f` is a bug; it is resumed on the calling thread as if `f` ran there.
pub fn map<T: Sync, R: Send>(items: &[T], jobs: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                return done;
            };
            done.push((index, f(item)));
        }
    };
    let workers = workers(items.len(), jobs);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for handle in others {
            match handle.join() {
                Ok(more) => done.extend(more),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        done
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_item_order_for_any_number_of_jobs() {
        let items: Vec<u32> = (0..1000).collect();
        for jobs in [1, 2, 7, 5000] {
            let squares = map(&items, jobs, |n| n * n);
            assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        }
        assert!(map(&[] as &[u32], 4, |n| *n).is_empty());
    }

    #[test]
    fn resumes_a_worker_panic_on_the_caller() {
        let items: Vec<u32> = (0..64).collect();
        let result = std::panic::catch_unwind(|| {
            map(&items, 4, |n| {
                assert!(*n != 40, "item 40");
                *n
            })
        });
        assert!(result.is_err());
    }
}
