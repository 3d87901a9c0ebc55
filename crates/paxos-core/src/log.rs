//! [`Log`]: a map from slots to values, stored densely.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::types::Slot;

/// A map from slots to values. Slots are handed out in order from 0, so a vector indexed by slot holds them without
/// gaps worth mentioning; lookups and inserts are O(1) where an ordered map pays a search on every message of a long
/// run. It keeps the ordered map's names (`get`, `insert`, `contains_key`, `iter`, …) and iterates in slot order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Log<T> {
    entries: Vec<Option<T>>,
    len: usize,
}

impl<T> Default for Log<T> {
    fn default() -> Self {
        Log { entries: Vec::new(), len: 0 }
    }
}

impl<T> Log<T> {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value in `slot`.
    pub fn get(&self, slot: &Slot) -> Option<&T> {
        self.entries.get(usize::try_from(slot.0).ok()?)?.as_ref()
    }

    /// Whether `slot` has a value.
    pub fn contains_key(&self, slot: &Slot) -> bool {
        self.get(slot).is_some()
    }

    /// Sets the value in `slot`, returning the previous one.
    pub fn insert(&mut self, slot: Slot, value: T) -> Option<T> {
        let i = usize::try_from(slot.0).expect("slot numbers fit in memory");
        if i >= self.entries.len() {
            self.entries.resize_with(i + 1, || None);
        }
        let old = self.entries[i].replace(value);
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    /// The number of slots with a value.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no slot has a value.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The slots with a value and their values, in slot order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (Slot, &T)> {
        self.range_from(Slot(0))
    }

    /// The slots from `first` on with a value, in slot order.
    pub fn range_from(&self, first: Slot) -> impl DoubleEndedIterator<Item = (Slot, &T)> {
        let start = usize::try_from(first.0).unwrap_or(usize::MAX).min(self.entries.len());
        self.entries[start..]
            .iter()
            .enumerate()
            .filter_map(move |(i, v)| v.as_ref().map(|v| (Slot((start + i) as u64), v)))
    }

    /// The values in slot order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.entries.iter().flatten()
    }

    /// The highest slot with a value.
    pub fn last_slot(&self) -> Option<Slot> {
        self.entries.iter().rposition(Option::is_some).map(|i| Slot(i as u64))
    }
}

impl<T: Serialize> Serialize for Log<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Log<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = litemap::LiteMap::<Slot, T>::deserialize(d)?;
        let mut log = Log::new();
        for (slot, v) in map {
            log.insert(slot, v);
        }
        Ok(log)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_an_ordered_map() {
        let mut log = Log::new();
        assert_eq!(log.insert(Slot(2), 'c'), None);
        assert_eq!(log.insert(Slot(0), 'a'), None);
        assert_eq!(log.insert(Slot(0), 'A'), Some('a'));
        assert_eq!(log.len(), 2);
        assert_eq!(log.get(&Slot(1)), None);
        assert_eq!(log.get(&Slot(99)), None);
        assert_eq!(log.iter().collect::<Vec<_>>(), vec![(Slot(0), &'A'), (Slot(2), &'c')]);
        assert_eq!(log.range_from(Slot(1)).collect::<Vec<_>>(), vec![(Slot(2), &'c')]);
        assert_eq!(log.range_from(Slot(7)).count(), 0);
        assert_eq!(log.last_slot(), Some(Slot(2)));
        let json = serde_json::to_string(&log).unwrap();
        assert_eq!(json, r#"{"0":"A","2":"c"}"#);
        assert_eq!(serde_json::from_str::<Log<char>>(&json).unwrap(), log);
    }
}
