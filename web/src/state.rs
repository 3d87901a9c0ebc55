//! The one reducer: [`AppState`] and [`Action`]. Every simulator action maps to the one [`Command`] of the same
//! name; the rest (play, pause, select, reset…) only change what the page shows.
//!
//! The state is two parts: the [`View`], what a person chose about how the page looks (it outlives every run), and
//! the [`Run`], the run shown and where the page is in it. A new run (Reset, a scenario, a trace, a link) replaces
//! only the run.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use paxos_core::{Ballot, NodeId, Value};
use paxos_sim::exercise::{Attempt, Exercise};
use paxos_sim::goal::{Goal, Progress};
use paxos_sim::{Command, Faults, Link, MsgId, Paxos, Snapshot};
use yew::Reducible;

use crate::engine::Engine;
use crate::history::LogKind;
use crate::input::Settings;
use crate::options::{Options, Shown, Theme};
use crate::protocol::Look;
use crate::spacetime::Kinds;
use crate::tour::Tour;

/// Simulated time units per real second at "1×".
pub const BASE_SPEED: f64 = 40.0;
/// The speed choices: label and multiplier. The last one runs as many events per frame as the cap allows.
pub const SPEEDS: [(&str, f64); 7] =
    [("¼×", 0.25), ("½×", 0.5), ("1×", 1.0), ("2×", 2.0), ("5×", 5.0), ("20×", 20.0), ("top", f64::INFINITY)];
/// Simulated time between two automatic client requests.
pub const CLIENT_PERIOD: f64 = 60.0;
/// The request-rate knob's choices, in time units between two requests.
pub const CLIENT_PERIODS: [u32; 4] = [10, 20, 60, 200];
/// The client stops after this many transaction requests: each one is a slot in every node's log, and a log this
/// long is already about 100 MB of the page's memory (some 2 KB per slot with 9 nodes, measured natively). At top
/// speed the steady client reaches it in about three minutes; Reset starts over.
pub const MAX_CLIENT_REQUESTS: u32 = 50_000;
/// The most events one [`Action::Advance`] runs (a tick's worth of a busy run is far fewer).
pub const MAX_ADVANCE_STEPS: u64 = 10_000;
/// How much a Delay holds a message back, in time units.
pub const DELAY_BY: u64 = 50;
/// The client whose transaction requests the playground sends.
pub const CLIENT: u32 = 1;

/// What is selected: a node, a message or a link. The action panel offers what can be done to it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Selection {
    /// Nothing.
    #[default]
    None,
    /// A node.
    Node(NodeId),
    /// An in-flight message.
    Msg(MsgId),
    /// The link between two nodes (lower id first).
    Link(NodeId, NodeId),
}

/// Why Play and Step do nothing in a run that stops at a violation (an old link's or a CLI trace's; the page's own
/// runs go on).
pub const STOPPED: &str =
    "Safety is violated and this run stops there (its configuration says so): Play and Step go no further. Rewind with the timeline, or Reset to start again.";

/// What Play says instead of running empty moments on a run where nothing was proposed yet (see [`Run::idle`]).
pub const NOTHING_YET: &str = "Nothing to run yet: propose a value first (the Propose form, or click a node).";

/// What Play says instead of running empty moments on a run where everything proposed has happened.
pub const NOTHING_LEFT: &str = "Nothing left to run: no message is in flight and no timer is armed. Propose a value, \
    or crash, restart or cut something, to go on.";

/// The What if menu's value for a run with more than one bug.
pub const SEVERAL: &str = "several";

/// The engine, shared by the states the reducer produces and compared by version: it is mutated in place (a run can
/// hold a long event history, too much to clone per frame), and every mutation bumps the run's `version`.
#[derive(Clone, Debug)]
pub struct Shared<P: Look = Paxos>(pub Rc<RefCell<Engine<P>>>);

impl<P: Look> PartialEq for Shared<P> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The page's whole state: how it looks, and the run it shows.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState<P: Look = Paxos> {
    /// The view settings: they outlive every run.
    pub view: View<P>,
    /// The run shown: a new one replaces it whole.
    pub run: Run<P>,
}

/// How a person set the page up to look. The selects and checkboxes on the page keep showing these across a new run,
/// so the state keeps them too.
#[derive(Clone, Debug, PartialEq)]
pub struct View<P: Look = Paxos> {
    /// Prefix of this playground's element ids: empty on the full page, `p1-`, `p2-`… for mounted ones, so two
    /// playgrounds on one page keep their labels, descriptions and headings apart.
    pub ids: Rc<str>,
    /// Index into [`SPEEDS`].
    pub speed: usize,
    /// The message kinds the space-time diagram draws.
    pub arrows: Kinds<P>,
    /// The colours: the options' theme, or what the embedder set later (`setTheme`, a message to an iframe).
    pub theme: Theme,
    /// Event log filter: node (a node a new run's cluster lacks is dropped).
    pub log_node: Option<NodeId>,
    /// Event log filter: category.
    pub log_kind: Option<LogKind>,
    /// Whether the keyboard help is open.
    pub help: bool,
    /// The compiled scenarios and exercises (`lessons.txt`, fetched the first time one is opened), and the
    /// exercises read from them.
    pub lessons: Option<(Rc<str>, Exercises<P>)>,
    /// What to open once the lessons arrive.
    pub pending: Option<Pending<P>>,
    /// Whether the status chip's explanation (Why? or Details) is open: the drawing and the diagram highlight the
    /// messages that made the value chosen while it is.
    pub explain: bool,
    /// Whether the list of exercises is shown.
    pub exercise_list: bool,
    /// The exercises solved in this browser, comma-separated (kept in `localStorage`).
    pub solved: Rc<str>,
}

/// What a person asked to open before the lessons arrived.
#[derive(Clone, Debug, PartialEq)]
pub enum Pending<P: Look = Paxos> {
    /// The list of exercises.
    List,
    /// An exercise; `attach` watches it on the run shown (a link opened with it) instead of its own start.
    Exercise(String, bool),
    /// A scenario (index, guided, What if's bugs), shown at a moment, playing or not; the last, opened from the page
    /// (it plays its first stage), not from an address (which opens it paused at its moment).
    Scenario(usize, bool, P::Bugs, Option<u64>, bool, bool),
}

/// The built-in exercises, compared by pointer (they never change once fetched).
#[derive(Clone, Debug)]
pub struct Exercises<P: Look = Paxos>(pub Rc<Vec<Rc<Exercise<P>>>>);

impl<P: Look> PartialEq for Exercises<P> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The exercise shown beside a run: its words and how many hints are shown. The goal is checked by the engine's
/// watch (`paxos_sim::goal::Watch`, the code `paxos exercise` runs).
#[derive(Clone, Debug)]
pub struct Practice<P: Look = Paxos> {
    /// The exercise; a goal from the address or the page around has no id, hints or lesson.
    pub exercise: Rc<Exercise<P>>,
    /// Hints shown.
    pub hints: usize,
    /// Why this run cannot solve it (a link whose run does not begin with the exercise's start).
    pub foreign: Option<String>,
}

impl<P: Look> PartialEq for Practice<P> {
    fn eq(&self, other: &Self) -> bool {
        // The exercise never changes once opened: by pointer, which keeps a deep comparison out of the download.
        Rc::ptr_eq(&self.exercise, &other.exercise) && self.hints == other.hints && self.foreign == other.foreign
    }
}

impl<P: Look> Default for View<P> {
    fn default() -> View<P> {
        View {
            ids: Rc::from(""),
            speed: 2,
            arrows: Kinds::ALL,
            theme: Theme::Auto,
            log_node: None,
            log_kind: None,
            help: false,
            lessons: None,
            explain: false,
            pending: None,
            exercise_list: false,
            solved: Rc::from(""),
        }
    }
}

impl<P: Look> View<P> {
    /// The accessible name of one of this playground's landmarks: `name` on the page, `name, playground 2` for the
    /// second mounted one, so a page with several names each region once.
    pub fn landmark(&self, name: &str) -> String {
        match self.ids.trim_start_matches('p').trim_end_matches('-') {
            "" => name.to_owned(),
            n => format!("{name}, playground {n}"),
        }
    }

    /// The id of one of this playground's elements.
    pub fn id(&self, name: &str) -> String {
        format!("{}{name}", self.ids)
    }
}

/// One run (its engine, the picture taken of it) and where the page is in it: playing, selected, the client, the
/// scenario being told.
#[derive(Clone, Debug, PartialEq)]
pub struct Run<P: Look = Paxos> {
    /// The simulation.
    pub engine: Shared<P>,
    /// Bumped by every change to the engine, and counting on from the run before when a new run replaces it, so
    /// what follows it (the address bar) sees the change even when the new run's own count matches the old one's.
    pub version: u64,
    /// The picture the view draws, taken after the last change. (`Snapshot` is `Eq`, so two states sharing one
    /// compare it by pointer: the side panels' props, compared every frame, do not walk every node's log.)
    pub snap: Rc<Snapshot<P>>,
    /// The settings of the current run.
    pub settings: Settings<P>,
    /// Whether simulated time flows.
    pub playing: bool,
    /// The simulated time the view shows; between events it runs ahead of the simulator's clock so messages glide.
    pub clock: f64,
    /// What is selected.
    pub selection: Selection,
    /// Whether the inspector shows the selection's full state.
    pub inspect: bool,
    /// The selected message's payload as traces write it, once the worker wrote it (`crate::worker::Job::Payload`),
    /// or why it could not.
    pub payload: Option<Result<String, String>>,
    /// The last refusal, in words.
    pub error: Option<String>,
    /// Whether the client sends transaction requests at a steady rate (Multi-Paxos).
    pub client_auto: bool,
    /// The client's next request number.
    pub next_req: u32,
    /// When the automatic client sends next.
    pub next_auto_at: f64,
    /// Simulated time between two of the steady client's requests (the request-rate knob).
    pub client_every: f64,
    /// Playing stops when the run reaches this moment (the tour's Next plays one stage).
    pub pause_at: Option<u64>,
    /// The scenario being shown, if any.
    pub tour: Option<Tour<P>>,
    /// The exercise being worked on, if any.
    pub practice: Option<Practice<P>>,
    /// Violations at the last change: playing pauses when a new one appears.
    pub seen_violations: usize,
    /// Why the run is not playing although Play was pressed: there was nothing to run ([`NOTHING_YET`],
    /// [`NOTHING_LEFT`]). Shown under Play until the run changes.
    pub idle_note: Option<&'static str>,
}
/// Everything the page can do. The first group are simulator commands of the same name.
#[derive(Clone, Debug, PartialEq)]
pub enum Action<P: Look = Paxos> {
    /// Ask a node to get a value chosen.
    Propose {
        /// The node.
        node: NodeId,
        /// The value.
        value: Value,
    },
    /// Crash a node.
    Crash(NodeId),
    /// Restart a crashed node.
    Restart(NodeId),
    /// Ask the leader to add a node (Multi-Paxos): it joins and learns the log, an acceptor once its configuration
    /// is in force.
    AddNode,
    /// Ask the leader to retire a node from the configuration.
    RemoveNode(NodeId),
    /// Split the cluster into groups (Isolate is a partition of one node against the rest).
    Partition(Vec<Vec<NodeId>>),
    /// Remove every partition and cut.
    Heal,
    /// Cut a link, both ways or one way (`from` → `to`).
    Cut {
        /// Sender side.
        from: NodeId,
        /// Receiver side.
        to: NodeId,
        /// Only `from` → `to`.
        one_way: bool,
    },
    /// Heal one link: undo a cut (the "Heal link" button; `heal A B` in the log).
    HealLink {
        /// One end.
        from: NodeId,
        /// The other end.
        to: NodeId,
        /// Only `from` → `to`.
        one_way: bool,
    },
    /// Lose one message.
    Drop(MsgId),
    /// Send a second copy of one message.
    Duplicate(MsgId),
    /// Hold one message back by [`DELAY_BY`].
    Delay(MsgId),
    /// Deliver one message now.
    Deliver(MsgId),
    /// Set latency, loss and duplication.
    Network {
        /// Latency range.
        latency: (u64, u64),
        /// Loss and duplication.
        faults: Faults,
    },
    /// Run one event.
    Step,
    /// Advance one node's clock by one tick.
    Tick(NodeId),

    /// The client requests the next transaction ID (a Propose of `txn CLIENT/req`).
    RequestTxn,
    /// Turn the steady client on or off.
    ToggleClient,
    /// The steady client's time between two requests (one of [`CLIENT_PERIODS`]).
    ClientEvery(u32),
    /// Let simulated time flow.
    Play,
    /// Stop simulated time.
    Pause,
    /// Play or pause.
    TogglePlay,
    /// An animation frame: `dt_ms` of real time passed; run at most `max_steps` events.
    Frame {
        /// Real milliseconds since the last frame.
        dt_ms: f64,
        /// Cap on events per frame, so a frame never stalls the page.
        max_steps: u64,
    },
    /// Choose a speed (index into [`SPEEDS`]).
    SetSpeed(usize),
    /// Start over with new settings.
    Reset(Settings<P>),
    /// Select something (or nothing).
    Select(Selection),
    /// Open or close the inspector for the selection.
    ToggleInspect,
    /// The worker's answer for the payload of a message the inspector shows.
    Payload(MsgId, Result<String, String>),
    /// Crash the selected node, or restart it if it is crashed.
    CrashOrRestartSelected,
    /// Open or close the keyboard help.
    ToggleHelp,
    /// Close the help, or else the chip's explanation, or else clear the selection.
    Escape,
    /// Open or close the status chip's explanation.
    Explain(bool),
    /// Filter the log by node.
    FilterNode(Option<NodeId>),
    /// Filter the log by category.
    FilterKind(Option<LogKind>),
    /// Choose the message kinds the space-time diagram draws.
    FilterArrows(Kinds<P>),
    /// Change the colours (the mount handle's `setTheme`, or the page around an iframe).
    SetTheme(crate::options::Theme),
    /// Forget the last refusal message.
    DismissError,
    /// Show moment `n` of the run (the timeline slider).
    Seek(u64),
    /// Show the moment before this one.
    StepBack,
    /// Show the last moment at simulated time `t` or before, the view's clock at `t` (Compare's timeline).
    #[cfg(any(feature = "raft", test))]
    SeekTime(u64),
    /// Run every event due in the next `dt` time units, playing or not.
    #[cfg(any(feature = "raft", test))]
    Advance(u64),
    /// Show simulated time `t` with at most `k` commands applied: back to the last such moment, or on to it
    /// (replaying what was recorded, then recording). Compare's Multi-Paxos run follows Raft's clock and commands so:
    /// at one time, Raft may have applied only some of the commands of that time.
    #[cfg(any(feature = "raft", test))]
    Follow(f64, u64),
    /// Replace the run with the one a link holds, shown at moment 0, the view's clock too (Compare's Multi-Paxos run
    /// beside a Raft run just opened).
    #[cfg(any(feature = "raft", test))]
    Replace(String),
    /// Show the moment the first safety violation happened (the banner's button).
    ShowViolation,
    /// Open a built-in scenario (index into [`paxos_sim::scenario::all`]); `guided` walks on through the others.
    OpenScenario {
        /// Which.
        index: usize,
        /// Bugs to switch on: what if these rules were missing?
        what_if: P::Bugs,
        /// The guided tour.
        guided: bool,
    },
    /// Play the tour's next stage (or open the next scenario of the guided tour).
    TourNext,
    /// Go back to the start of the stage before.
    TourBack,
    /// Leave the scenario (the run stays).
    TourExit,
    /// Open a trace: the trace worker's answer for a file in the CLI's JSON format, the run as a link, or why it
    /// was refused (it does not reproduce, it is damaged, the worker could not start).
    OpenTrace(Result<String, String>),
    /// Say something went wrong outside the reducer (an export the trace worker refused).
    Notice(String),
    /// Open an exercise by id, or the list of them (`None`); fetched first if need be.
    Exercises(Option<String>),
    /// The compiled scenarios and exercises arrived (or why they did not).
    LessonsLoaded(Result<String, String>),
    /// Show the exercise's next hint.
    Hint,
    /// Start the exercise again from its start.
    PractiseAgain,
    /// Leave the exercise (the run stays).
    PractiseEnd,
    /// Forget which exercises were solved in this browser.
    ForgetSolved,
    /// Open a shared link's run (the text after `#run=`), as when the address bar's link changes. Refused with a
    /// message naming the problem if it is damaged; the run shown stays.
    OpenLink(String),
    /// Open a counterexample "Check every future" found from the moment the link `from` shows: when the run still
    /// shows that moment, its commands (`fork`'s, after that moment) are applied there, so the timeline forks at
    /// it; otherwise the fork's link is opened.
    OpenFork {
        /// The link of the run and moment that were checked.
        from: String,
        /// The link of the fork, shown at its end.
        fork: String,
    },
}

impl<P: Look> Action<P> {
    /// (Compare's: only in the second module.)
    #[cfg(any(feature = "raft", test))]
    /// This action for a run of protocol `Q`, if it means the same there: what Compare applies to both runs (the
    /// simulator commands that name nodes, not messages; time; the view's speed and colours). Selections and a
    /// message's faults stay with their own run.
    pub fn shared<Q: Look>(&self) -> Option<Action<Q>> {
        Some(match self.clone() {
            Action::Propose { node, value } => Action::Propose { node, value },
            Action::Crash(n) => Action::Crash(n),
            Action::Restart(n) => Action::Restart(n),
            Action::AddNode => Action::AddNode,
            Action::RemoveNode(n) => Action::RemoveNode(n),
            Action::Partition(groups) => Action::Partition(groups),
            Action::Heal => Action::Heal,
            Action::Cut { from, to, one_way } => Action::Cut { from, to, one_way },
            Action::HealLink { from, to, one_way } => Action::HealLink { from, to, one_way },
            Action::Network { latency, faults } => Action::Network { latency, faults },
            Action::Tick(n) => Action::Tick(n),
            Action::RequestTxn => Action::RequestTxn,
            Action::ToggleClient => Action::ToggleClient,
            Action::ClientEvery(t) => Action::ClientEvery(t),
            Action::Play => Action::Play,
            Action::Pause => Action::Pause,
            Action::Frame { dt_ms, max_steps } => Action::Frame { dt_ms, max_steps },
            Action::SetSpeed(i) => Action::SetSpeed(i),
            Action::SetTheme(t) => Action::SetTheme(t),
            #[cfg(any(feature = "raft", test))]
            Action::SeekTime(t) => Action::SeekTime(t),
            Action::Advance(dt) => Action::Advance(dt),
            Action::DismissError => Action::DismissError,
            _ => return None,
        })
    }

    /// The simulator command this action is, if it is one.
    pub fn command(&self) -> Option<Command> {
        Some(match self.clone() {
            Action::Propose { node, value } => Command::Propose { node, value },
            Action::Crash(node) => Command::Crash { node },
            Action::Restart(node) => Command::Restart { node },
            Action::AddNode => Command::AddNode,
            Action::RemoveNode(node) => Command::RemoveNode { node },
            Action::Partition(groups) => Command::Partition { groups },
            Action::Heal => Command::Heal,
            Action::Cut { from, to, one_way } => Command::Cut { from, to, one_way },
            Action::HealLink { from, to, one_way } => Command::HealLink { from, to, one_way },
            Action::Drop(msg) => Command::Drop { msg },
            Action::Duplicate(msg) => Command::Duplicate { msg },
            Action::Delay(msg) => Command::Delay { msg, by: DELAY_BY },
            Action::Deliver(msg) => Command::Deliver { msg },
            Action::Network { latency, faults } => Command::Network { latency, faults },
            Action::Step => Command::Step { count: 1 },
            Action::Tick(node) => Command::Tick { node },
            _ => return None,
        })
    }
}

/// A goal of one's own (an address's or a figure's `goal`) as an exercise watched from the run's start.
pub fn own_goal<P: Look>(goal: Goal, tape: &paxos_sim::Tape<P>) -> Exercise<P> {
    let task = goal.terms.iter().map(|t| t.describe_for::<P>()).collect::<Vec<_>>().join(", ");
    Exercise {
        id: String::new(),
        title: "Your goal".into(),
        task: crate::engine::capitalise(&task),
        attempt: Attempt { seed: tape.seed, config: tape.config.clone(), start: Vec::new(), goal, only: None },
        hints: Vec::new(),
        teaches: String::new(),
        solution: Vec::new(),
        misses: Vec::new(),
    }
}

impl<P: Look> AppState<P> {
    /// A run with `settings` and the default view (see [`Run::new`]).
    pub fn new(settings: Settings<P>) -> AppState<P> {
        AppState { view: View::default(), run: Run::new(settings) }
    }

    /// The first state of a playground asked for with `options`: their shared run, else their scenario or the guided
    /// tour, else their settings over `settings`; then their moment, autoplay and view settings. `notice` (a bad URL
    /// parameter) is shown unless opening the run has a problem of its own to say.
    pub fn from_options(options: &Options<P>, settings: Settings<P>, notice: Option<String>, ids: &str) -> AppState<P> {
        let o = options;
        let mut notice = notice;
        let mut run = match &o.run {
            Some(run) => Run::from_link(run).unwrap_or_else(|e| {
                notice = Some(format!("This link could not be opened: {e} Showing the default cluster instead."));
                Run::new(Settings::default())
            }),
            // Options were validated when read; a failure here is only a test's own settings clashing with them.
            None => Run::new(o.settings(settings.clone()).unwrap_or_else(|e| {
                notice = Some(format!("The playground's options have a problem: {e}."));
                settings
            })),
        };
        let mut pending = o.exercise.clone().map(|id| Pending::Exercise(id, o.run.is_some()));
        if o.run.is_none() {
            let index =
                o.scenario.as_deref().and_then(|id| paxos_sim::scenario::of::<P>().iter().position(|sc| sc.id == id));
            if o.tour || index.is_some() {
                // Opened once the lessons arrive, at the moment asked for.
                let what_if = o.bug.iter().flatten().fold(P::Bugs::default(), |all, &b| P::set_bug(all, b, true));
                pending = Some(Pending::Scenario(index.unwrap_or(0), o.tour, what_if, o.step, o.autoplay, false));
            }
        }
        if let Some(goal) = &o.goal {
            let exercise = own_goal(goal.clone(), &run.engine().tape);
            match goal.fits(run.snap.nodes.len()) {
                Ok(()) => run = run.attach(Rc::new(exercise)),
                Err(e) => notice = Some(format!("The option `goal` does not fit this cluster: {e}.")),
            }
        }
        let view = View {
            ids: Rc::from(ids),
            arrows: o.arrows.unwrap_or_default(),
            theme: o.theme,
            pending,
            ..View::default()
        };
        let mut s = Rc::new(AppState { view, run });
        if let (Some(step), None) = (o.step, &s.view.pending) {
            s = s.reduce(Action::Seek(step));
        }
        if o.autoplay && s.view.pending.is_none() {
            s = s.reduce(Action::Play);
        }
        let mut s = (*s).clone();
        if notice.is_some() {
            s.run.error = notice;
        }
        s
    }

    /// The exercise in the address (see [`Run::practice_param`]), or the one still being fetched.
    pub fn practice_param(&self) -> Option<String> {
        let pending = match &self.view.pending {
            Some(Pending::Exercise(id, _)) => Some(format!("exercise={id}")),
            _ => None,
        };
        self.run.practice_param().or(pending)
    }

    /// Marks the exercise shown as solved in this browser once its goal is met.
    fn solved(mut self) -> AppState<P> {
        let id = match (&self.run.practice, self.run.progress()) {
            (Some(p), Some(Progress::Met { .. })) if !p.exercise.id.is_empty() => p.exercise.id.clone(),
            _ => return self,
        };
        if !self.view.solved.split(',').any(|s| s == id) {
            let list = if self.view.solved.is_empty() { id } else { format!("{},{id}", self.view.solved) };
            self.view.solved = Rc::from(list);
        }
        self
    }

    /// The state with `run` in place of the one shown: the view stays (but for a log filter naming a node the new
    /// cluster lacks: its option is gone from the select too), and the version counts on.
    pub(crate) fn start(mut self, run: Run<P>) -> AppState<P> {
        let version = self.run.version.max(run.version) + 1;
        self.run = Run { version, ..run };
        let nodes = self.run.snap.nodes.len();
        self.view.explain = false;
        self.view.log_node = self.view.log_node.filter(|n| n.index() < nodes);
        self
    }
}

impl<P: Look> Run<P> {
    /// A run with `settings`; falls back to the defaults if they are impossible (the form checks them first).
    pub fn new(settings: Settings<P>) -> Run<P> {
        // (`expect` is not used on these results: it would keep the errors' `Debug` code in the page's download.)
        let (engine, settings) = match (Engine::new(&settings), Engine::new(&Settings::default())) {
            (Ok(e), _) => (e, settings),
            (_, Ok(e)) => (e, Settings::default()),
            _ => unreachable!("the defaults are valid"),
        };
        let snap = Rc::new(engine.snapshot());
        Run {
            engine: Shared(Rc::new(RefCell::new(engine))),
            version: 0,
            snap,
            settings,
            playing: false,
            clock: 0.0,
            selection: Selection::None,
            inspect: false,
            payload: None,
            error: None,
            client_auto: false,
            next_req: 0,
            next_auto_at: 0.0,
            client_every: CLIENT_PERIOD,
            pause_at: None,
            tour: None,
            practice: None,
            seen_violations: 0,
            idle_note: None,
        }
    }

    /// A run showing `engine`'s, with `settings` read from its configuration where the form can show them.
    pub fn with_engine(engine: Engine<P>) -> Run<P> {
        let settings = Settings::from_config(engine.tape.seed, &engine.tape.config);
        let mut run = Run::new(settings);
        run.engine = Shared(Rc::new(RefCell::new(engine)));
        run.clock = 0.0;
        run.changed()
    }

    /// The run a shared link shows, or why it cannot be opened.
    pub fn from_link(text: &str) -> Result<Run<P>, String> {
        let link = Link::<P>::read(text).map_err(|e| crate::engine::capitalise(&e.to_string()))?;
        let engine = Engine::from_tape(link.tape, link.at).map_err(|e| e.to_string())?;
        Ok(Run::with_engine(engine))
    }

    /// A new run at an exercise's start, its goal watched.
    pub fn practise(exercise: Rc<Exercise<P>>) -> Result<Run<P>, String> {
        let a = &exercise.attempt;
        let mut engine =
            Engine::record(a.seed, a.config.clone(), a.start.iter().cloned()).map_err(|e| e.to_string())?;
        engine.watch(Some(a.watch()));
        let mut run = Run::with_engine(engine);
        run.practice = Some(Practice { exercise, hints: 0, foreign: None });
        Ok(run.changed())
    }

    /// Watches an exercise's goal on this run (a solution's link): it is checked from moment 0, so a run that
    /// does not meet it, or does not begin as the exercise does, is not shown as solved, whatever the link claims.
    fn attach(mut self, exercise: Rc<Exercise<P>>) -> Run<P> {
        let foreign = exercise.attempt.starts(&self.engine().tape).err();
        self.engine.0.borrow_mut().watch(Some(exercise.attempt.watch()));
        self.practice = Some(Practice { exercise, hints: 0, foreign });
        self.changed()
    }

    /// Where the exercise stands, if one is open.
    pub fn progress(&self) -> Option<Progress> {
        let e = self.engine();
        match (&self.practice, &e.now.goal) {
            (Some(p), _) if p.foreign.is_some() => p.foreign.clone().map(Progress::Lost),
            (Some(_), Some(w)) => Some(w.progress(e.sim())),
            _ => None,
        }
    }

    /// Why the exercise refuses `command` (it offers only some actions), if it does.
    fn refuses(&self, command: &Command) -> Option<String> {
        let e = self.engine();
        let only = e.now.goal.as_ref().and_then(|w| w.only())?;
        (!matches!(command, Command::Step { .. }) && !only.contains(&command.verb()))
            .then(|| format!("This exercise offers only {} (and running time).", only.join(", ")))
    }

    /// The exercise in the address: `exercise=ID`, or `goal=…` for a goal of one's own.
    pub fn practice_param(&self) -> Option<String> {
        let p = self.practice.as_ref()?;
        Some(match p.exercise.id.as_str() {
            "" => format!("goal={}", crate::options::encode(&p.exercise.attempt.goal.to_string())),
            id => format!("exercise={id}"),
        })
    }

    /// Whether the run goes on after a violation (the page's own runs do; an old link or a CLI trace may stop).
    pub fn goes_on(&self) -> bool {
        !self.engine().sim().config().stop_on_violation
    }

    /// Whether no live node can reach a quorum (see [`paxos_sim::Protocol::no_quorum`]).
    pub fn no_quorum(&self) -> bool {
        P::no_quorum(self.engine().sim())
    }

    /// The link to this run at the moment shown.
    pub fn link(&self) -> String {
        let e = self.engine();
        Link { tape: e.tape.clone(), at: e.at }.encode()
    }

    /// What the address bar names (see [`Options::address`]): an open scenario not changed since it opened (no
    /// fork, nothing recorded past it) by name, any other run by its link.
    pub fn shown(&self) -> Shown<P> {
        let e = self.engine();
        match &self.tour {
            Some(t) if e.forks.is_empty() && e.tape.len() == t.recorded => {
                Shown::Scenario { id: t.scenario().id, guided: t.guided, what_if: t.what_if, moment: e.at }
            }
            _ => Shown::Link(self.link()),
        }
    }

    /// The engine, for reading.
    pub fn engine(&self) -> Ref<'_, Engine<P>> {
        self.engine.0.borrow()
    }

    /// The node a client talks to: the selected live node, else the leader, else the first live node.
    pub fn client_target(&self) -> Option<NodeId> {
        let up = |id: NodeId| self.snap.nodes.get(id.index()).is_some_and(|n| n.up);
        match self.selection {
            Selection::Node(n) if up(n) => Some(n),
            _ => self.snap.leader.or_else(|| self.snap.nodes.iter().find(|n| n.up).map(|n| n.id)),
        }
    }
}

impl Run {
    /// The ballot the quorum overlay explains: the selected node's, else the leader's, else the highest ballot any
    /// proposer holds.
    pub fn focus_ballot(&self) -> Option<Ballot> {
        let of = |id: NodeId| self.snap.nodes.get(id.index()).and_then(|n| n.ballot);
        if let Selection::Node(n) = self.selection {
            if let Some(b) = of(n) {
                return Some(b);
            }
        }
        self.snap.leader.and_then(of).or_else(|| self.snap.nodes.iter().filter_map(|n| n.ballot).max())
    }
}

impl<P: Look> Run<P> {
    /// Whether playing would only run empty moments: nothing recorded ahead to replay, no message in flight, no
    /// steady client, and no live node whose timer does anything when it fires (`Look::quiet`).
    pub fn idle(&self) -> bool {
        !self.engine().rewound()
            && self.snap.messages.is_empty()
            && !(self.client_auto && P::keeps_a_log(&self.settings))
            && self.snap.nodes.iter().all(|n| !n.up || P::quiet(n, &self.settings))
    }

    /// What Play says on an idle run: propose first, or nothing is left.
    fn idle_words(&self) -> &'static str {
        if self.snap.nodes.iter().all(P::fresh) {
            NOTHING_YET
        } else {
            NOTHING_LEFT
        }
    }

    fn changed(mut self) -> Self {
        self.version += 1;
        self.idle_note = None;
        let at = self.engine().at;
        let playing = self.playing;
        if let Some(tour) = &mut self.tour {
            tour.follow(at, playing);
        }
        let snap = self.engine().snapshot();
        self.snap = Rc::new(snap);
        let found = self.snap.violations.len();
        if found > self.seen_violations && self.pause_at.is_none() {
            // A broken safety rule stops the run where it broke, so it can be read (a tour stage plays to its end:
            // its narration is about what follows).
            self.playing = false;
        }
        self.seen_violations = found;
        // The view never shows time before the simulator's clock.
        let time = self.engine().sim().time() as f64;
        self.clock = self.clock.max(time);
        self
    }

    /// After a jump in time the view shows the simulator's own clock.
    pub(crate) fn jumped(mut self) -> Self {
        self = self.changed();
        let time = self.engine().sim().time() as f64;
        self.clock = time;
        self
    }

    /// Before a jump in time: stop playing, forget a stage's end and the last refusal.
    pub(crate) fn stop(&mut self) {
        self.playing = false;
        self.pause_at = None;
        self.error = None;
    }

    fn apply(mut self, command: Command) -> Self {
        let r = self.engine.0.borrow_mut().apply(command);
        self.error = r.err().map(|e| e.to_string());
        self.changed()
    }

    fn frame(self, dt_ms: f64, max_steps: u64, speed: usize) -> Self {
        let speed = BASE_SPEED * SPEEDS[speed].1;
        let target = self.clock + (dt_ms.clamp(0.0, 100.0) / 1000.0) * speed;
        self.advance_to(target, max_steps)
    }

    /// Runs the events due up to simulated time `target` (at most `max_steps`), the steady client speaking as time
    /// passes.
    fn advance_to(mut self, target: f64, max_steps: u64) -> Self {
        let advanced = self.engine.0.borrow_mut().advance(target, max_steps, self.pause_at);
        if self.pause_at.is_some_and(|m| self.engine().at >= m) {
            self.playing = false;
            self.pause_at = None;
        }
        if crate::engine::at_limit(&self.engine()) {
            self.playing = false;
            self.error = Some(crate::engine::too_long());
            return self.changed();
        }
        let time = self.engine().sim().time() as f64;
        self.clock = if advanced.caught_up { target } else { time };
        // The steady client only speaks at the live end of the run: while replaying after a rewind it would fork.
        if self.client_auto
            && !self.engine().rewound()
            && P::keeps_a_log(&self.settings)
            && self.clock >= self.next_auto_at
        {
            self.next_auto_at = self.clock + self.client_every;
            self = self.request_txn();
        }
        self.changed()
    }

    fn request_txn(mut self) -> Self {
        if self.next_req >= MAX_CLIENT_REQUESTS {
            self.client_auto = false;
            self.error = Some(format!(
                "The client stopped after {MAX_CLIENT_REQUESTS} requests: a longer log would not fit in the page's memory. Reset to start a new run."
            ));
            return self;
        }
        let Some(node) = self.client_target() else {
            self.error = Some("Every node is crashed: restart one before sending a request.".into());
            return self;
        };
        let req = self.next_req;
        self.next_req += 1;
        self.apply(Command::Propose { node, value: Value::Txn { client: CLIENT, req } })
    }
}

impl<P: Look> Reducible for AppState<P> {
    type Action = Action<P>;

    fn reduce(self: Rc<Self>, action: Action<P>) -> Rc<Self> {
        let mut s = (*self).clone();
        if matches!(action, Action::Step) {
            s.run.playing = false;
            if s.run.engine().sim().stopped() && !s.run.engine().rewound() {
                s.run.error = Some(STOPPED.into());
                return Rc::new(s);
            }
            let r = s.run.engine.0.borrow_mut().step();
            s.run.error = r.err().map(|e| e.to_string());
            s.run = s.run.jumped();
            return Rc::new(s.solved());
        }
        if let Some(command) = action.command() {
            if let Some(why) = s.run.refuses(&command) {
                s.run.error = Some(why);
                return Rc::new(s);
            }
            s.run = s.run.apply(command);
            return Rc::new(s.solved());
        }
        let (view, run) = (&mut s.view, &mut s.run);
        match action {
            Action::RequestTxn => s.run = s.run.request_txn(),
            Action::ToggleClient => {
                run.client_auto = !run.client_auto;
                run.next_auto_at = run.clock;
            }
            Action::ClientEvery(t) => {
                run.next_auto_at += f64::from(t) - run.client_every;
                run.client_every = f64::from(t);
            }
            Action::Play if run.idle() && !run.engine().sim().stopped() => run.idle_note = Some(run.idle_words()),
            Action::Play if !run.engine().sim().stopped() || run.engine().rewound() => run.playing = true,
            Action::Play => run.error = Some(STOPPED.into()),
            Action::Pause => run.playing = false,
            Action::TogglePlay => {
                let next = if run.playing { Action::Pause } else { Action::Play };
                return Rc::new(s).reduce(next);
            }
            Action::Frame { dt_ms, max_steps } if run.playing => {
                s.run = s.run.frame(dt_ms, max_steps, view.speed);
                return Rc::new(s.solved());
            }
            Action::Frame { .. } => return self,
            Action::SetSpeed(i) => view.speed = i.min(SPEEDS.len() - 1),
            Action::Reset(settings) => s = s.start(Run::new(settings)),
            Action::Select(selection) => {
                run.selection = selection;
                run.inspect = false;
                run.payload = None;
            }
            Action::ToggleInspect => {
                run.inspect = !run.inspect;
                run.payload = None;
            }
            Action::Payload(id, text) if run.inspect && run.selection == Selection::Msg(id) => run.payload = Some(text),
            Action::Payload(..) => {}
            Action::CrashOrRestartSelected => match run.selection {
                Selection::Node(n) => {
                    let up = run.snap.nodes.get(n.index()).is_some_and(|v| v.up);
                    s.run = s.run.apply(if up { Command::Crash { node: n } } else { Command::Restart { node: n } });
                }
                _ => run.error = Some("Select a node first (press its number, 0–8, or click it).".into()),
            },
            Action::ToggleHelp => view.help = !view.help,
            Action::Escape if view.help => view.help = false,
            Action::Escape if view.explain => view.explain = false,
            Action::Explain(open) => view.explain = open,
            Action::Escape => {
                run.selection = Selection::None;
                run.inspect = false;
            }
            Action::FilterNode(log_node) => view.log_node = log_node,
            Action::FilterKind(log_kind) => view.log_kind = log_kind,
            Action::FilterArrows(arrows) => view.arrows = arrows,
            Action::SetTheme(theme) => view.theme = theme,
            Action::DismissError => run.error = None,
            Action::Seek(to) => {
                run.engine.0.borrow_mut().seek(to);
                run.stop();
                s.run = s.run.jumped();
            }
            Action::StepBack => {
                let at = run.engine().at;
                run.engine.0.borrow_mut().seek(at.saturating_sub(1));
                run.stop();
                s.run = s.run.jumped();
            }
            #[cfg(any(feature = "raft", test))]
            Action::SeekTime(t) => {
                run.engine.0.borrow_mut().seek_time(t);
                run.stop();
                s.run = s.run.jumped();
                s.run.clock = s.run.clock.max(t as f64);
            }
            #[cfg(any(feature = "raft", test))]
            Action::Follow(t, k) => {
                let limit = crate::compare::before_command(&run.engine().tape, k);
                let (at, clock) = (run.engine().at, run.clock);
                run.error = None;
                if t < clock || at > limit {
                    let mut e = run.engine.0.borrow_mut();
                    e.seek_time(t as u64);
                    if e.at > limit {
                        e.seek(limit);
                    }
                    drop(e);
                    s.run = s.run.jumped();
                    s.run.clock = s.run.clock.max(t);
                } else {
                    // Stopping at the limit is following, not the end of a stage: the run keeps playing.
                    let (paused, playing) = (run.pause_at.replace(limit), run.playing);
                    s.run = s.run.advance_to(t, MAX_ADVANCE_STEPS);
                    (s.run.pause_at, s.run.playing) = (paused, playing || s.run.playing);
                    return Rc::new(s.solved());
                }
            }
            #[cfg(any(feature = "raft", test))]
            Action::Replace(link) => match Run::from_link(&link) {
                Ok(opened) => {
                    opened.engine.0.borrow_mut().seek(0);
                    s = s.start(opened.jumped());
                }
                Err(e) => run.error = Some(e),
            },
            #[cfg(any(feature = "raft", test))]
            Action::Advance(dt) => {
                run.error = None;
                let target = run.clock + dt as f64;
                s.run = s.run.advance_to(target, MAX_ADVANCE_STEPS);
                return Rc::new(s.solved());
            }
            Action::ShowViolation => {
                // The explanation would cover the drawing at the very moment it is taken to.
                view.explain = false;
                let found = run.engine.0.borrow_mut().first_violation();
                let Some(m) = found else { return self };
                run.engine.0.borrow_mut().seek(m);
                run.stop();
                s.run = s.run.jumped();
            }
            // A scenario opened from the page plays its first stage at once: no page that only says "press Next".
            Action::OpenScenario { index, guided, what_if } => match &view.lessons {
                None => view.pending = Some(Pending::Scenario(index, guided, what_if, None, false, true)),
                Some((text, _)) => match Run::scenario(text, index, guided, what_if) {
                    Ok(opened) => {
                        s = s.start(opened);
                        s.run.pause_at = s.run.tour.as_ref().and_then(|t| t.stages.first()).map(|st| st.1);
                        s.run.playing = true;
                    }
                    Err(e) => run.error = Some(e),
                },
            },
            Action::TourNext => return s.tour_next().unwrap_or(self),
            Action::TourBack => return s.tour_back().unwrap_or(self),
            Action::TourExit => {
                run.tour = None;
                run.pause_at = None;
            }
            Action::OpenTrace(answer) => match answer.and_then(|link| Run::from_link(&link)) {
                Ok(opened) => s = s.start(opened),
                Err(e) => run.error = Some(format!("This trace could not be opened: {e}")),
            },
            Action::Notice(text) => run.error = Some(text),
            Action::Exercises(id) => match &view.lessons {
                None => view.pending = Some(id.map_or(Pending::List, |id| Pending::Exercise(id, false))),
                Some((_, all)) => match id {
                    None => view.exercise_list = !view.exercise_list,
                    Some(id) => match all.0.iter().find(|e| e.id == id).map(|e| Run::practise(e.clone())) {
                        Some(Ok(opened)) => {
                            view.exercise_list = false;
                            s = s.start(opened);
                        }
                        Some(Err(e)) => run.error = Some(e),
                        None => run.error = Some(format!("There is no exercise “{}”.", paxos_sim::limits::quote(&id))),
                    },
                },
            },
            Action::LessonsLoaded(text) => {
                let text: Rc<str> = match text {
                    Ok(t) => Rc::from(t),
                    Err(e) => {
                        view.pending = None;
                        run.error = Some(format!("The lessons could not be loaded: {e}"));
                        return Rc::new(s);
                    }
                };
                let all = Exercises(Rc::new(
                    paxos_sim::compiled::exercises_of::<P>(&text).into_iter().map(Rc::new).collect(),
                ));
                view.lessons = Some((text.clone(), all.clone()));
                match view.pending.take() {
                    Some(Pending::Exercise(id, true)) => match all.0.iter().find(|e| e.id == id) {
                        Some(e) => s.run = s.run.attach(e.clone()),
                        None => run.error = Some(format!("There is no exercise “{}”.", paxos_sim::limits::quote(&id))),
                    },
                    Some(Pending::List) => view.exercise_list = true,
                    Some(Pending::Exercise(id, false)) => return Rc::new(s).reduce(Action::Exercises(Some(id))),
                    Some(Pending::Scenario(index, guided, what_if, _, _, true)) => {
                        return Rc::new(s).reduce(Action::OpenScenario { index, guided, what_if });
                    }
                    // From an address: at its moment, paused (or playing on, with `autoplay`), its stage shown.
                    Some(Pending::Scenario(index, guided, what_if, moment, play, false)) => {
                        let mut s = match Run::scenario(&text, index, guided, what_if) {
                            Ok(opened) => Rc::new(s.start(opened)),
                            Err(e) => {
                                s.run.error = Some(e);
                                return Rc::new(s);
                            }
                        };
                        if let Some(m) = moment {
                            s = s.reduce(Action::Seek(m));
                        }
                        return if play { s.reduce(Action::Play) } else { s };
                    }
                    None => {}
                }
                return Rc::new(s.solved());
            }
            Action::Hint => {
                if let Some(p) = &mut run.practice {
                    p.hints = (p.hints + 1).min(p.exercise.hints.len());
                }
            }
            Action::PractiseAgain => {
                let Some(p) = run.practice.clone() else { return self };
                match Run::practise(p.exercise) {
                    Ok(opened) => s = s.start(opened),
                    Err(e) => run.error = Some(e),
                }
            }
            Action::PractiseEnd => {
                run.practice = None;
                run.engine.0.borrow_mut().watch(None);
                s.run = s.run.changed();
            }
            Action::ForgetSolved => view.solved = Rc::from(""),
            Action::OpenFork { from, fork } => match Link::<P>::read(&fork) {
                Ok(l) if from == run.link() => {
                    let at = run.engine().at;
                    for c in l.tape.between(at, l.tape.len()) {
                        s.run = s.run.apply(c);
                    }
                    // The timeline marks where the future found begins, also when it continues the run's end.
                    let mut e = s.run.engine.0.borrow_mut();
                    if let Err(i) = e.forks.binary_search(&at) {
                        e.forks.insert(i, at);
                    }
                }
                _ => return Rc::new(s).reduce(Action::OpenLink(fork)),
            },
            Action::OpenLink(text) if text == run.link() => {}
            Action::OpenLink(text) => match Run::from_link(&text) {
                // A link pasted while an exercise is open is checked against it (a solution shared with a teacher).
                Ok(opened) => match run.practice.clone() {
                    Some(p) => s = s.start(opened.attach(p.exercise)),
                    None => s = s.start(opened),
                },
                Err(e) => run.error = Some(format!("This link could not be opened: {e}")),
            },
            // Simulator commands were handled above.
            _ => {}
        }
        Rc::new(s)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use paxos_core::{Bugs, Mode};
    type Settings = crate::input::PaxosSettings;
    type Action = super::Action<Paxos>;
    type Run = super::Run<Paxos>;
    use crate::engine::Mark;
    use paxos_core::Slot;

    /// The compiled lessons, as the page fetches them.
    pub(crate) const LESSONS: &str = include_str!("../../crates/paxos-sim/lessons.txt");

    /// A state with the lessons already fetched.
    pub(crate) fn loaded(s: AppState) -> Rc<AppState> {
        Rc::new(s).reduce(Action::LessonsLoaded(Ok(LESSONS.into())))
    }

    fn start() -> Rc<AppState> {
        loaded(AppState::new(Settings::default()))
    }

    #[test]
    fn a_payload_answer_shows_only_while_its_message_is_inspected() {
        let m = Selection::Msg(MsgId(1));
        let answer = || Action::Payload(MsgId(1), Ok("{}".into()));
        let s = start().reduce(Action::Select(m)).reduce(Action::ToggleInspect).reduce(answer());
        assert_eq!(s.run.payload, Some(Ok("{}".into())));
        // Closed, or another message selected, before the worker answered: the answer is dropped.
        let s = s.reduce(Action::ToggleInspect).reduce(answer());
        assert_eq!(s.run.payload, None);
        let s = s.reduce(Action::Select(Selection::Msg(MsgId(2)))).reduce(Action::ToggleInspect).reduce(answer());
        assert_eq!(s.run.payload, None);
    }

    /// The address bar's address for `s`, given the page's query.
    pub(super) fn address(s: &AppState, search: &str) -> String {
        crate::options::Options::address(search, s.run.shown(), s.view.arrows, s.practice_param())
    }

    fn play_for(mut s: Rc<AppState>, ms: f64) -> Rc<AppState> {
        s = s.reduce(Action::Play);
        let mut t = 0.0;
        while t < ms {
            s = s.reduce(Action::Frame { dt_ms: 16.0, max_steps: 10_000 });
            t += 16.0;
        }
        s
    }

    fn with_exercises(s: Rc<AppState>) -> Rc<AppState> {
        loaded((*s).clone())
    }

    /// The reducer's action for a script command of a reference solution, as the page's controls send it.
    fn action_of(c: &Command) -> Vec<Action> {
        match c.clone() {
            Command::Step { count } => (0..count).map(|_| Action::Step).collect(),
            Command::Propose { node, value } => vec![Action::Propose { node, value }],
            Command::Crash { node } => vec![Action::Crash(node)],
            Command::Restart { node } => vec![Action::Restart(node)],
            Command::AddNode => vec![Action::AddNode],
            Command::RemoveNode { node } => vec![Action::RemoveNode(node)],
            Command::Cut { from, to, one_way } => vec![Action::Cut { from, to, one_way }],
            Command::HealLink { from, to, one_way } => vec![Action::HealLink { from, to, one_way }],
            Command::Heal => vec![Action::Heal],
            other => panic!("no page control for {other:?}"),
        }
    }

    #[test]
    fn every_exercise_opens_and_its_reference_solution_through_the_pages_actions_solves_it() {
        // The page's exercises come compiled, without their solutions: those are read from the source here.
        let mut s = with_exercises(start());
        assert_eq!(s.view.lessons.clone().unwrap().1 .0.len(), paxos_sim::exercise::all().len());
        for e in paxos_sim::exercise::all().iter() {
            s = s.reduce(Action::Exercises(Some(e.id.clone())));
            assert_eq!(s.run.practice.as_ref().unwrap().exercise.id, e.id);
            assert!(matches!(s.run.progress(), Some(Progress::Open(_))), "{}: solved at the start", e.id);
            for c in &e.solution {
                for a in action_of(c) {
                    s = s.reduce(a);
                    assert_eq!(s.run.error, None, "{}: {c:?} refused", e.id);
                }
            }
            assert!(matches!(s.run.progress(), Some(Progress::Met { .. })), "{}: {:?}", e.id, s.run.progress());
            assert!(s.view.solved.split(',').any(|x| x == e.id), "{} is marked solved", e.id);
            // The address names the exercise, and reopened (a fresh page: options, then the file) it is solved
            // again: the link is re-verified, not believed.
            let addr = address(&s, "");
            assert!(addr.starts_with(&format!("?exercise={}#run=", e.id)), "{addr}");
            let (q, hash) = addr.split_at(addr.find('#').unwrap());
            let o = crate::options::Options::<Paxos>::from_url(q, hash).unwrap();
            let fresh = Rc::new(AppState::from_options(&o, Settings::default(), None, ""));
            let fresh = with_exercises(fresh);
            assert!(matches!(fresh.run.progress(), Some(Progress::Met { .. })), "{}: reopened", e.id);
        }
        assert_eq!(s.clone().reduce(Action::ForgetSolved).view.solved.as_ref(), "");
    }

    #[test]
    fn a_forged_solution_link_is_not_solved_and_an_exercise_refuses_what_it_does_not_offer() {
        // The link of a run that does not start from the exercise's start, under `?exercise=`: not solved.
        let s = start().reduce(Action::Crash(NodeId(0))).reduce(Action::Crash(NodeId(1)));
        let o = crate::options::Options::<Paxos>::from_url("?exercise=no-quorum", &format!("#run={}", s.run.link()))
            .unwrap();
        let opened = with_exercises(Rc::new(AppState::from_options(&o, Settings::default(), None, "")));
        assert!(matches!(opened.run.progress(), Some(Progress::Lost(why)) if why.contains("does not start")));
        assert!(opened.view.solved.is_empty());
        // no-quorum offers crash, restart, cut and heal: a partition is refused, and changes nothing.
        let s = with_exercises(start()).reduce(Action::Exercises(Some("no-quorum".into())));
        let at = s.run.engine().at;
        let s = s.reduce(Action::Partition(vec![vec![NodeId(0)], vec![NodeId(1)]]));
        assert!(s.run.error.as_deref().unwrap().starts_with("This exercise offers only crash, restart, cut, heal"));
        assert_eq!(s.run.engine().at, at);
        // Four crashes: over the limit of three, lost (but the third one met it first).
        let s = s.reduce(Action::Crash(NodeId(4))).reduce(Action::Crash(NodeId(3)));
        let s = s.reduce(Action::Cut { from: NodeId(0), to: NodeId(1), one_way: false });
        let s = s.reduce(Action::Cut { from: NodeId(0), to: NodeId(2), one_way: false });
        assert!(matches!(s.run.progress(), Some(Progress::Lost(why)) if why.contains("4 actions")));
        // Rewound before the fourth action, the goal is open again: progress follows the moment shown.
        let s = s.reduce(Action::StepBack);
        assert!(matches!(s.run.progress(), Some(Progress::Open(_))));
    }

    #[test]
    fn a_goal_of_ones_own_is_watched_from_the_start_and_named_in_the_address() {
        let o = crate::options::Options::<Paxos>::from_url("?goal=down%3E=2,actions%3C=2&nodes=5", "").unwrap();
        let s = Rc::new(AppState::from_options(&o, Settings::default(), None, ""));
        assert_eq!(s.run.practice.as_ref().unwrap().exercise.task, "2 nodes are down, in 2 actions or fewer.");
        let s = s.reduce(Action::Crash(NodeId(0))).reduce(Action::Crash(NodeId(3)));
        assert!(matches!(s.run.progress(), Some(Progress::Met { actions: 2, .. })));
        assert!(address(&s, "?goal=x").starts_with("?goal=down%3E=2,actions%3C=2#run="));
        let bad = crate::options::Options::<Paxos>::from_url("?goal=chosen,fly", "").unwrap_err();
        assert!(bad.contains("`goal`: `fly` is not a goal term"), "{bad}");
    }

    #[test]
    fn a_counterexample_opens_as_a_fork_of_the_moment_checked() {
        // Minority-quorum, two proposals, then a few steps: rewound to moment 2, checked there.
        let mut settings = Settings::default();
        settings.bugs.minority_quorum = true;
        let s = Rc::new(AppState::new(settings));
        let s = s.reduce(Action::Propose { node: NodeId(0), value: Value::text("a") });
        let s = s.reduce(Action::Propose { node: NodeId(2), value: Value::text("b") });
        let s = s.reduce(Action::Step).reduce(Action::Step).reduce(Action::Seek(2));
        let from = s.run.link();
        let answer = paxos_worker::check(&from, &mut |_| true).unwrap();
        let fork = answer.broken.expect("minority-quorum breaks a rule").fork;
        let forked = s.clone().reduce(Action::OpenFork { from: from.clone(), fork: fork.clone() });
        assert!(!forked.run.snap.violations.is_empty(), "the fork shows the violation");
        assert_eq!(forked.run.engine().forks, vec![2], "the timeline forks at the moment checked");
        assert_eq!(forked.run.link(), fork, "and the run is the fork's");
        // Moved on meanwhile: the fork's link is opened instead.
        let moved = s.reduce(Action::Seek(3)).reduce(Action::OpenFork { from, fork: fork.clone() });
        assert_eq!(moved.run.link(), fork);
        assert!(!moved.run.snap.violations.is_empty());
    }

    #[test]
    fn a_new_run_keeps_the_playgrounds_element_ids_and_a_link_opens_in_place() {
        let mut s = (*start()).clone();
        s.view.ids = Rc::from("p2-");
        let s = Rc::new(s);
        let no_heartbeats = Kinds::ALL.with(paxos_core::MsgKind::Heartbeat, false);
        assert!(!address(&s, "?arrows=prepare").contains("arrows="), "all kinds: no parameter, an old one replaced");
        let s = s.reduce(Action::FilterArrows(no_heartbeats));
        assert_eq!(s.view.arrows, no_heartbeats);
        let s = s.reduce(Action::FilterNode(Some(NodeId(2)))).reduce(Action::FilterKind(Some(LogKind::Message)));
        // A node the new cluster lacks is dropped from the filter (its option is gone from the select too).
        let five = s.clone().reduce(Action::FilterNode(Some(NodeId(4))));
        assert_eq!(five.reduce(Action::Reset(Settings::default())).view.log_node, None);
        // The address shows the same arrows when opened.
        let address = address(&s, "?embed=1&arrows=prepare");
        let (search, hash) = address.split_once('#').unwrap();
        assert_eq!(search, "?embed=1&arrows=prepare,promise,accept,accepted,reject,decided,catch_up,propose");
        assert_eq!(crate::options::Options::<Paxos>::from_url(search, hash).unwrap().arrows, Some(no_heartbeats));
        let s = s.reduce(Action::Propose { node: NodeId(0), value: Value::text("x") });
        let link = s.run.link();
        for a in [
            Action::Reset(Settings { seed: 9, ..Settings::default() }),
            Action::OpenScenario { index: 2, guided: false, what_if: Bugs::default() },
            Action::OpenLink(link.clone()),
        ] {
            let next = s.clone().reduce(a.clone());
            assert_eq!(next.view.id("seed"), "p2-seed", "{a:?}");
            assert_eq!(next.view.arrows, s.view.arrows, "{a:?}: the diagram's kinds are a view setting");
            assert_eq!(
                (next.view.log_node, next.view.log_kind),
                (s.view.log_node, s.view.log_kind),
                "{a:?}: so are the log's filters"
            );
            // (Opening the link of the run shown changes nothing, so it keeps its version.)
            if !matches!(a, Action::OpenLink(_)) {
                assert!(next.run.version > s.run.version, "{a:?}: the version counts on across runs");
            }
        }
        // A link opens its run at its moment; opening the link of the run shown changes nothing; a bad one is
        // refused with the reason, and the run shown stays.
        let opened = start().reduce(Action::OpenLink(link.clone()));
        assert_eq!(opened.run.link(), link);
        assert_eq!(opened.run.engine().at, s.run.engine().at);
        assert!(Rc::ptr_eq(&s.run.engine.0, &s.clone().reduce(Action::OpenLink(link)).run.engine.0));
        let refused = s.clone().reduce(Action::OpenLink("1.AAAA".into()));
        assert!(refused
            .run
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("This link could not be opened: The link is")));
        assert_eq!(refused.run.link(), s.run.link());
    }

    /// A scenario as an address opens it: at moment 0, paused, its first stage shown (the lessons fetched).
    fn opened(index: usize) -> Rc<AppState> {
        let run = Run::scenario(LESSONS, index, false, Bugs::default()).unwrap();
        Rc::new((*start()).clone().start(run))
    }

    /// What the page shows for an address: its options read, and the lessons arrived.
    fn reopened(address: &str) -> Rc<AppState> {
        let o = crate::options::Options::<Paxos>::from_url(address, "").unwrap();
        loaded(AppState::from_options(&o, Settings::default(), None, ""))
    }

    fn played(s: &AppState) -> usize {
        s.run.tour.as_ref().unwrap().played
    }

    /// Plays until the run pauses by itself (a stage's end, or nothing left to run).
    fn until_paused(mut s: Rc<AppState>) -> Rc<AppState> {
        for _ in 0..20_000 {
            if !s.run.playing {
                break;
            }
            s = s.reduce(Action::Frame { dt_ms: 16.0, max_steps: 10_000 });
        }
        assert!(!s.run.playing);
        s
    }

    #[test]
    fn the_narration_follows_the_timeline_and_play() {
        let s = opened(0);
        let ends: Vec<u64> = s.run.tour.as_ref().unwrap().stages.iter().map(|st| st.1).collect();
        assert_eq!((played(&s), s.run.engine().at, s.run.playing), (1, 0, false), "stage 1, ready to play");
        // Dragged into stage 2's part of the run: stage 2's narration; to a stage's last moment: that stage; to the
        // end: the last stage.
        // (The states share one engine, mutated in place: each step reads what it produced before going on.)
        assert_eq!(played(&s.clone().reduce(Action::Seek(ends[0] + 1))), 2);
        assert_eq!(played(&s.clone().reduce(Action::Seek(ends[1]))), 2);
        assert_eq!(played(&s.clone().reduce(Action::Seek(ends[0]))), 1);
        assert_eq!(played(&s.clone().reduce(Action::Seek(*ends.last().unwrap()))), ends.len());
        // Next at moment 0 plays stage 1 (there is no stage before it to finish); Back returns to its start.
        let s = opened(0);
        let next = s.clone().reduce(Action::TourNext);
        assert_eq!((played(&next), next.run.engine().at, next.run.playing), (1, 0, true));
        let next = until_paused(next);
        assert_eq!((played(&next), next.run.engine().at), (1, ends[0]));
        let back = next.reduce(Action::TourBack);
        assert_eq!((played(&back), back.run.engine().at), (1, 0));
        let next = until_paused(back.reduce(Action::TourNext)).reduce(Action::TourNext);
        assert_eq!((played(&next), next.run.engine().at), (2, ends[0]), "stage 2 starts where stage 1 ended");
        // Paused mid-stage, Next plays the rest of it.
        let mid = next.reduce(Action::Step);
        assert_eq!((played(&mid), mid.run.engine().at), (2, ends[0] + 1));
        let mid = until_paused(mid.reduce(Action::TourNext));
        assert_eq!((played(&mid), mid.run.engine().at), (2, ends[1]));
        let back = mid.reduce(Action::TourBack);
        assert_eq!((played(&back), back.run.engine().at), (1, ends[0]), "Back: the end of the stage before");
        // Play (not Next) runs on through the stages, and the narration keeps up.
        let all = play_for(opened(0).reduce(Action::Play), 60_000.0);
        assert_eq!(played(&all), ends.len(), "at moment {}", all.run.engine().at);
    }

    #[test]
    fn a_scenario_opened_from_the_page_plays_its_first_stage_and_back_returns_through_the_tour() {
        for guided in [false, true] {
            let s = start().reduce(Action::OpenScenario { index: 1, guided, what_if: Bugs::default() });
            let end = s.run.tour.as_ref().unwrap().stages[0].1;
            assert_eq!((played(&s), s.run.playing, s.run.pause_at), (1, true, Some(end)), "guided {guided}");
            let s = until_paused(s);
            assert_eq!((played(&s), s.run.engine().at), (1, end));
            // Back to the start of stage 1; from there the tour goes back to the end of the scenario before.
            let s = s.reduce(Action::TourBack);
            assert_eq!(s.run.engine().at, 0);
            let back = s.reduce(Action::TourBack);
            let t = back.run.tour.as_ref().unwrap();
            if guided {
                assert_eq!(
                    (t.index, t.played, back.run.engine().at, back.run.playing),
                    (0, t.stages.len(), t.end(), false)
                );
            } else {
                assert_eq!((t.index, back.run.engine().at), (1, 0), "outside the tour, Back stops at the start");
            }
        }
        // The end of a scenario of the tour: Next opens the next one, playing.
        let s = opened(0);
        let end = s.run.tour.as_ref().unwrap().end();
        let mut s = (*s.reduce(Action::Seek(end))).clone();
        s.run.tour.as_mut().unwrap().guided = true;
        let s = Rc::new(s).reduce(Action::TourNext);
        assert_eq!((s.run.tour.as_ref().unwrap().index, played(&s), s.run.playing), (1, 1, true));
    }

    #[test]
    fn an_address_copied_at_any_stage_reopens_that_stage() {
        // Found by a person: amnesia, Next ×4, Copy link: `?scenario=amnesia&moment=42` opened at the summary
        // ("Stage 5 of 5") where the page showed stage 4. The summary is the last stage's closing words now, so a
        // moment names one stage; here every stage of every scenario, as Next leaves it, reopens as it was.
        for (index, sc) in paxos_sim::scenario::of::<paxos_sim::Paxos>().iter().enumerate() {
            let mut s =
                until_paused(start().reduce(Action::OpenScenario { index, guided: false, what_if: Bugs::default() }));
            let stages = s.run.tour.as_ref().unwrap().stages.len();
            for k in 1..=stages {
                if k > 1 {
                    s = until_paused(s.reduce(Action::TourNext));
                }
                let address = address(&s, "");
                let reopened = reopened(&address);
                assert_eq!(
                    (played(&reopened), reopened.run.engine().at),
                    (k, s.run.engine().at),
                    "{}: stage {k} of {stages}, {address}",
                    sc.id
                );
            }
            assert!(s.run.engine().at == s.run.tour.as_ref().unwrap().end(), "{}: Next ×{stages} is the end", sc.id);
        }
        let amnesia = paxos_sim::scenario::of::<paxos_sim::Paxos>().iter().position(|sc| sc.id == "amnesia").unwrap();
        assert_eq!(opened(amnesia).run.tour.as_ref().unwrap().stages.len(), 4);
    }

    #[test]
    fn play_with_nothing_to_do_says_what_to_do_instead() {
        // A fresh single-decree run: nothing proposed, nothing in flight, no timer armed. Play runs no empty moments.
        let s = start().reduce(Action::Play);
        assert_eq!((s.run.playing, s.run.engine().at, s.run.idle_note), (false, 0, Some(NOTHING_YET)));
        // A crash and a tick change nothing about it.
        let s = s.reduce(Action::Crash(NodeId(2))).reduce(Action::Step).reduce(Action::Play);
        assert_eq!((s.run.playing, s.run.idle_note), (false, Some(NOTHING_YET)));
        // Proposed: it plays; once everything has happened, Play says nothing is left.
        let s = s.reduce(Action::Propose { node: NodeId(0), value: Value::text("v") });
        assert_eq!(s.run.idle_note, None, "any change clears the note");
        let s = s.reduce(Action::Play);
        assert!(s.run.playing);
        let s = play_for(s, 20_000.0).reduce(Action::Pause);
        assert_eq!((s.run.snap.chosen.len(), s.run.snap.messages.len()), (1, 0));
        let at = s.run.engine().at;
        let again = s.clone().reduce(Action::Play);
        assert_eq!((again.run.playing, again.run.engine().at, again.run.idle_note), (false, at, Some(NOTHING_LEFT)));
        // Rewound, Play replays the recorded future.
        assert!(s.reduce(Action::Seek(3)).reduce(Action::Play).run.playing);
        // Multi-Paxos always has work while a proposer is up: followers time out and elect a leader, who heartbeats.
        let multi = Rc::new(AppState::new(Settings { mode: Mode::Multi, ..Settings::default() }));
        let multi = play_for(multi, 5_000.0);
        assert!(multi.run.playing && multi.run.idle_note.is_none());
        assert!(multi.run.snap.leader.is_some());
        // A dueling proposer backing off has an armed timer that will retry: not idle.
        let mut duel = start()
            .reduce(Action::Propose { node: NodeId(0), value: Value::text("a") })
            .reduce(Action::Propose { node: NodeId(2), value: Value::text("b") });
        while !duel.run.snap.nodes.iter().any(|n| n.timer > 0 && n.phase == paxos_sim::snapshot::ProposerPhase::Idle) {
            duel = duel.reduce(Action::Step);
            assert!(duel.run.engine().at < 10_000);
        }
        let mut quiet = (*duel).clone();
        quiet.run.snap = Rc::new(Snapshot { messages: vec![], ..(*quiet.run.snap).clone() });
        assert!(!quiet.run.idle(), "a timer that retries is work to do");
    }

    #[test]
    fn an_unchanged_scenario_is_addressed_by_name_and_anything_else_by_its_run() {
        let page = "?embed=1&theme=dark&nodes=5";
        let s = start().reduce(Action::OpenScenario { index: 5, guided: false, what_if: Bugs::default() });
        assert_eq!(address(&s, page), "?embed=1&theme=dark&scenario=proposer-crash");
        let s = s.reduce(Action::Seek(5));
        let at = s.run.engine().at;
        assert_eq!(at, 5);
        assert_eq!(address(&s, ""), format!("?scenario=proposer-crash&moment={at}"));
        // With What if, and in the guided tour.
        let bug = Bugs::default().with(paxos_core::Bug::IgnoreAccepted);
        let w = start().reduce(Action::OpenScenario { index: 5, guided: true, what_if: bug });
        assert_eq!(address(&w, "?scenario=happy-path&step=3"), "?tour=1&scenario=proposer-crash&bug=ignore-accepted");
        // The address reopens the same scenario at the same moment, with its narration.
        let o = crate::options::Options::<Paxos>::from_url(&address(&s, ""), "").unwrap();
        assert_eq!((o.scenario.as_deref(), o.step), (Some("proposer-crash"), Some(at)));
        // Changed (an action at the end, or a fork after a rewind): the run's link, which holds its settings.
        let changed = s.clone().reduce(Action::Crash(NodeId(1)));
        assert_eq!(address(&changed, page), format!("?embed=1&theme=dark#run={}", changed.run.link()));
        let forked = start()
            .reduce(Action::OpenScenario { index: 5, guided: false, what_if: Bugs::default() })
            .reduce(Action::Crash(NodeId(1)));
        assert!(!forked.run.engine().forks.is_empty());
        assert!(address(&forked, "").starts_with("#run=1."));
        // Not a scenario: the run's link, as always.
        assert_eq!(address(&start(), ""), format!("#run={}", start().run.link()));
    }

    #[test]
    fn what_if_reopens_a_scenario_with_a_bug_and_its_run_breaks_agreement() {
        let index =
            paxos_sim::scenario::of::<paxos_sim::Paxos>().iter().position(|s| s.id == "proposer-crash").unwrap();
        let end_of = |what_if: Bugs| {
            let s = start().reduce(Action::OpenScenario { index, guided: false, what_if });
            let tour = s.run.tour.clone().unwrap();
            assert_eq!((tour.what_if, s.run.engine().at), (what_if, 0));
            assert_eq!(s.run.engine().tape.config.cluster.bugs, what_if);
            s.reduce(Action::Seek(tour.stages.last().unwrap().1))
        };
        let agreement = |s: &AppState| s.run.snap.violations.iter().any(|v| v.rule == paxos_sim::Rule::Agreement);
        assert!(!agreement(&end_of(Bugs::default())));
        let broken = end_of(Bugs::default().with(paxos_core::Bug::IgnoreAccepted));
        assert!(agreement(&broken), "{:?}", broken.run.snap.violations);
        // The banner's button shows the moment it broke: violated there, safe one moment before. (The states
        // share one engine, mutated in place, so each step reads the moment it produced before going on.)
        let end = broken.run.engine().at;
        let shown = broken.clone().reduce(Action::ShowViolation);
        let m = shown.run.engine().at;
        assert!(m > 0 && m < end, "moment {m} of {end}");
        assert!(!shown.run.snap.violations.is_empty());
        let shown = shown.reduce(Action::ShowViolation);
        assert_eq!(shown.run.engine().at, m, "again: the same moment");
        let before = shown.reduce(Action::StepBack);
        assert!(before.run.snap.violations.is_empty());
        // Before it, there is nothing to show: the button is not there, and the action changes nothing.
        assert_eq!(before.reduce(Action::ShowViolation).run.engine().at, m - 1);
        // The form shows the run's bug, as for any run.
        assert!(broken.run.settings.bugs.ignore_accepted);
    }

    #[test]
    fn every_simulator_action_is_the_command_of_the_same_name() {
        let n = NodeId(1);
        let m = MsgId(3);
        let pairs = [
            (Action::Crash(n), "crash"),
            (Action::Restart(n), "restart"),
            (Action::AddNode, "add-node"),
            (Action::RemoveNode(n), "remove-node"),
            (Action::Partition(vec![vec![n]]), "partition"),
            (Action::Heal, "heal"),
            (Action::Cut { from: n, to: NodeId(0), one_way: true }, "cut"),
            (Action::HealLink { from: n, to: NodeId(0), one_way: false }, "heal"),
            (Action::Drop(m), "drop"),
            (Action::Duplicate(m), "duplicate"),
            (Action::Delay(m), "delay"),
            (Action::Deliver(m), "deliver"),
            (Action::Step, "step"),
            (Action::Tick(n), "tick"),
            (Action::Propose { node: n, value: Value::text("v") }, "propose"),
            (Action::Network { latency: (1, 2), faults: Faults::default() }, "network"),
        ];
        for (a, verb) in pairs {
            assert_eq!(a.command().unwrap().verb(), verb);
        }
        assert_eq!(Action::Play.command(), None);
    }

    #[test]
    fn propose_then_play_chooses_the_value_everywhere() {
        let s = start().reduce(Action::Propose { node: NodeId(0), value: Value::text("v") });
        assert_eq!(s.run.error, None);
        assert!(!s.run.snap.messages.is_empty());
        let s = play_for(s, 20_000.0);
        assert_eq!(s.run.snap.chosen.len(), 1);
        assert!(s.run.snap.nodes.iter().all(|n| n.learned == vec![(Slot(0), Value::text("v"))]));
        assert!(s.run.clock >= s.run.engine().sim().time() as f64);
    }

    #[test]
    fn the_view_clock_stays_finite_at_top_speed_wherever_a_scenario_plays_from() {
        // Found by the monkey test: "t = inf" after Next in the guided tour at top speed, when Next played the
        // summary stage, which has no moments of its own (the run was stopped, not caught up with the clock).
        for index in 0..paxos_sim::scenario::of::<paxos_sim::Paxos>().len() {
            // A fresh scenario each time: playing past its end records more moments into the shared engine.
            let opened = || {
                start().reduce(Action::SetSpeed(SPEEDS.len() - 1)).reduce(Action::OpenScenario {
                    index,
                    guided: true,
                    what_if: Bugs::default(),
                })
            };
            let len = opened().run.engine().tape.len();
            for at in 0..=len {
                for action in [Action::TourNext, Action::Play] {
                    let mut s = opened().reduce(Action::Seek(at)).reduce(action.clone());
                    for _ in 0..3 {
                        s = s.reduce(Action::Frame { dt_ms: 16.0, max_steps: 400 });
                    }
                    assert!(s.run.clock.is_finite(), "scenario {index}, {action:?} from {at}: clock {}", s.run.clock);
                    if !s.run.playing {
                        assert_eq!(s.run.clock, s.run.engine().sim().time() as f64, "a stopped run shows its own time");
                    }
                }
            }
        }
    }

    #[test]
    fn frames_do_nothing_while_paused_and_step_runs_one_event() {
        let s = start();
        let s2 = s.clone().reduce(Action::Frame { dt_ms: 16.0, max_steps: 100 });
        assert!(Rc::ptr_eq(&s, &s2));
        let s3 = s2.reduce(Action::Step);
        assert_eq!(s3.run.snap.step, 1);
        assert_eq!(s3.run.clock, s3.run.snap.time as f64);
    }

    #[test]
    fn refusals_are_reported_and_change_nothing() {
        let s = start().reduce(Action::Crash(NodeId(2)));
        let v = s.run.version;
        let s = s.reduce(Action::Propose { node: NodeId(2), value: Value::text("v") });
        assert_eq!(s.run.error.as_deref(), Some("Node 2 is crashed."));
        assert!(s.run.snap.messages.is_empty());
        assert_eq!(s.run.version, v + 1);
    }

    #[test]
    fn crash_or_restart_toggles_the_selected_node() {
        let s = start().reduce(Action::Select(Selection::Node(NodeId(1)))).reduce(Action::CrashOrRestartSelected);
        assert!(!s.run.snap.nodes[1].up);
        let s = s.reduce(Action::CrashOrRestartSelected);
        assert!(s.run.snap.nodes[1].up);
    }

    #[test]
    fn the_steady_client_requests_transaction_ids_in_multi_paxos() {
        let s = Rc::new(AppState::new(Settings { mode: Mode::Multi, ..Settings::default() }));
        let s = s.reduce(Action::ToggleClient);
        let s = play_for(s, 30_000.0);
        assert!(s.run.next_req >= 3, "{}", s.run.next_req);
        assert!(!s.run.engine().history().txn_ids.is_empty());
        assert!(s.run.snap.violations.is_empty());
    }

    #[test]
    fn the_request_rate_knob_sets_the_time_between_requests() {
        let s = Rc::new(AppState::new(Settings { mode: Mode::Multi, ..Settings::default() }));
        let s = s.reduce(Action::ToggleClient);
        let every_60 = play_for(s.clone(), 15_000.0).run.next_req;
        let every_20 = play_for(s.reduce(Action::ClientEvery(20)), 15_000.0).run.next_req;
        // 15 s at 1x are 600 time units: a request at once, then one per 60 (or per 20) time units.
        assert_eq!((every_60, every_20), (10, 31));
    }

    #[test]
    fn the_client_stops_at_its_request_limit_and_says_why() {
        let s = Rc::new(AppState::new(Settings { mode: Mode::Multi, ..Settings::default() }));
        let mut s = (*s.reduce(Action::ToggleClient)).clone();
        s.run.next_req = MAX_CLIENT_REQUESTS - 2;
        let s = Rc::new(s);
        let s = play_for(s, 30_000.0);
        assert_eq!(s.run.next_req, MAX_CLIENT_REQUESTS);
        assert!(!s.run.client_auto, "the steady client turned itself off");
        assert!(s.run.error.as_deref().is_some_and(|e| e.starts_with("The client stopped after 50000 requests")));
        let s = s.reduce(Action::DismissError).reduce(Action::RequestTxn);
        assert_eq!(s.run.next_req, MAX_CLIENT_REQUESTS, "a request by hand is refused too");
        assert!(s.run.error.is_some());
    }

    /// The minority-quorum bug, two proposers, played until safety breaks.
    fn broken_by_minority_quorum() -> Rc<AppState> {
        let bugs = paxos_core::Bugs { minority_quorum: true, ..Default::default() };
        let s = Rc::new(AppState::new(Settings { bugs, ..Settings::default() }));
        let s = s
            .reduce(Action::Propose { node: NodeId(0), value: Value::text("a") })
            .reduce(Action::Propose { node: NodeId(2), value: Value::text("b") });
        play_for(s, 20_000.0)
    }

    #[test]
    fn a_violation_pauses_the_run_and_play_and_step_go_on_from_it() {
        let s = broken_by_minority_quorum();
        assert!(!s.run.snap.violations.is_empty());
        assert!(!s.run.playing, "paused where safety broke");
        assert!(s.run.goes_on(), "the page's runs go on after a violation, and the banner says so");
        // Step runs the next event, Play plays on: neither does nothing.
        let at = s.run.engine().at;
        let s = s.reduce(Action::Step);
        assert_eq!((s.run.engine().at, s.run.error.as_deref()), (at + 1, None));
        let s = s.reduce(Action::Play);
        assert!(s.run.playing && s.run.error.is_none());
        let s = s.reduce(Action::Frame { dt_ms: 100.0, max_steps: 10_000 });
        assert!(s.run.engine().at > at + 1, "the run went on");
        // A run whose configuration stops at a violation (an old link, a CLI trace) says why Play and Step do nothing.
        let mut tape = s.run.engine().tape.clone();
        tape.config.stop_on_violation = true;
        let stopped = Rc::new(AppState {
            view: View::default(),
            run: Run::with_engine(Engine::record(tape.seed, tape.config.clone(), tape.between(0, tape.len())).unwrap()),
        });
        assert!(stopped.run.engine().sim().stopped() && !stopped.run.goes_on());
        let at = stopped.run.engine().at;
        for a in [Action::Step, Action::Play] {
            let r = stopped.clone().reduce(a.clone());
            assert_eq!((r.run.engine().at, r.run.playing, r.run.error.as_deref()), (at, false, Some(STOPPED)), "{a:?}");
        }
    }

    #[test]
    fn after_a_violation_the_outcome_names_every_value_chosen() {
        use crate::components::outcome::{chosen_in, conflicts};
        // The amnesia lesson: first at 1.0 by acceptors 0 and 1, then second at 1.2 by acceptors 1 and 2.
        let index = paxos_sim::scenario::of::<paxos_sim::Paxos>().iter().position(|s| s.id == "amnesia").unwrap();
        let s = start().reduce(Action::OpenScenario { index, guided: false, what_if: Bugs::default() });
        let end = s.run.tour.as_ref().unwrap().stages.last().unwrap().1;
        let s = s.reduce(Action::Seek(end));
        let said: Vec<String> = chosen_in(&s.run.snap, Slot(0))
            .iter()
            .map(|c| format!("{} {} {:?}", c.value, c.ballot, c.quorum.iter().collect::<Vec<_>>()))
            .collect();
        assert_eq!(said, ["first 1.0 [NodeId(0), NodeId(1)]", "second 1.2 [NodeId(1), NodeId(2)]"]);
        assert_eq!(
            conflicts(&s.run.snap),
            "Checker: more than one value chosen (agreement is broken) in slot 0: first at ballot 1.0 by acceptors 0, 1; second at ballot 1.2 by acceptors 1, 2."
        );
        // The adopt-lowest bug in the highest-ballot lesson: both values.
        let index =
            paxos_sim::scenario::of::<paxos_sim::Paxos>().iter().position(|s| s.id == "highest-ballot").unwrap();
        let what_if = Bugs::default().with(paxos_core::Bug::AdoptLowest);
        let m = start().reduce(Action::OpenScenario { index, guided: false, what_if });
        let end = m.run.tour.as_ref().unwrap().stages.last().unwrap().1;
        let m = m.reduce(Action::Seek(end));
        let values: Vec<String> = chosen_in(&m.run.snap, Slot(0)).iter().map(|c| c.value.to_string()).collect();
        assert!(m.run.snap.violations.iter().any(|v| v.rule == paxos_sim::Rule::Agreement));
        assert_eq!(values, ["blue", "red"]);
        // The minority-quorum bug: its nodes commit on one vote, but one vote chooses nothing, so the checker never
        // names a value chosen by fewer than a majority of acceptors.
        let m = broken_by_minority_quorum();
        assert_eq!(m.run.snap.violations[0].rule, paxos_sim::Rule::ElectedWithoutQuorum);
        assert!(chosen_in(&m.run.snap, Slot(0)).iter().all(|c| c.quorum.len() >= 2));
    }

    #[test]
    fn the_banner_counts_what_it_lists() {
        let index = paxos_sim::scenario::of::<paxos_sim::Paxos>().iter().position(|s| s.id == "amnesia").unwrap();
        let s = start().reduce(Action::OpenScenario { index, guided: false, what_if: Bugs::default() });
        let end = s.run.tour.as_ref().unwrap().stages.last().unwrap().1;
        let s = s.reduce(Action::Seek(end));
        let v = &s.run.snap.violations;
        let tally = crate::components::banner::tally(v);
        assert_eq!(tally, " (4 violations in all: promise decreased, agreement, learned unchosen ×2)");
        let groups = crate::components::banner::by_rule(v);
        assert_eq!(groups.iter().map(|g| g.1).sum::<usize>(), v.len());
    }

    #[test]
    fn what_if_shows_the_bugs_the_run_has() {
        let open = |id: &str, what_if: Bugs| {
            let index = paxos_sim::scenario::of::<paxos_sim::Paxos>().iter().position(|s| s.id == id).unwrap();
            start().reduce(Action::OpenScenario { index, guided: false, what_if })
        };
        let shown = |s: &AppState| s.run.what_if_shown().unwrap();
        // The amnesia lesson has its bug built in: the menu shows it, as the banner and the bug switches do.
        let amnesia = open("amnesia", Bugs::default());
        assert_eq!(shown(&amnesia), ("amnesia".into(), "amnesia".into()));
        assert!(amnesia.run.settings.bugs.amnesia);
        assert_eq!(amnesia.run.tour.as_ref().unwrap().own_bugs(), Bugs::default().with(paxos_core::Bug::Amnesia));
        let both = open("amnesia", Bugs::default().with(paxos_core::Bug::IgnoreAccepted));
        assert_eq!(shown(&both), (SEVERAL.into(), "amnesia + ignore-accepted".into()));
        assert_eq!(shown(&open("happy-path", Bugs::default())), (String::new(), String::new()));
        assert_eq!(start().run.what_if_shown(), None);
    }

    #[test]
    fn a_crashed_leader_wears_no_crown() {
        let mut s = start().reduce(Action::Propose { node: NodeId(0), value: Value::text("v") });
        while !s.run.snap.nodes[0].leader {
            s = s.reduce(Action::Step);
        }
        let s = s.reduce(Action::Crash(NodeId(0)));
        assert!(!s.run.snap.nodes[0].leader);
        assert!(!crate::components::cluster::node_label(&s.run.snap.nodes[0], Mode::Single, false).contains("leader"));
    }

    #[test]
    fn no_quorum_reachable_shows_while_crashes_or_cuts_keep_every_quorum_apart_and_clears_after() {
        let s = start();
        assert!(!s.run.no_quorum());
        let s = s.reduce(Action::Crash(NodeId(1)));
        assert!(!s.run.no_quorum(), "two of three still reach each other");
        let s = s.reduce(Action::Crash(NodeId(2)));
        assert!(s.run.no_quorum());
        let s = s.reduce(Action::Restart(NodeId(2)));
        assert!(!s.run.no_quorum());
        let s = s.reduce(Action::Cut { from: NodeId(2), to: NodeId(0), one_way: true });
        assert!(
            s.run.no_quorum(),
            "a one-way cut is enough: promises from 2 never reach 0, and 0's prepares never reach 2"
        );
        let s = s.reduce(Action::Restart(NodeId(1)));
        assert!(!s.run.no_quorum(), "node 1 reaches 0 and 2");
        let s = s.reduce(Action::Partition(vec![vec![NodeId(0)], vec![NodeId(1)], vec![NodeId(2)]]));
        assert!(s.run.no_quorum());
        assert!(!s.reduce(Action::Heal).run.no_quorum());
    }

    #[test]
    fn a_single_decree_learner_restarted_after_the_choice_is_explained_and_learns_on_another_ballot() {
        let s = start().reduce(Action::Propose { node: NodeId(0), value: Value::text("v") });
        let s = play_for(s, 20_000.0);
        assert!(s.run.snap.nodes.iter().all(|n| n.learned.len() == 1));
        assert!(s.run.engine().history().late.is_empty());
        let s = s.reduce(Action::Crash(NodeId(2))).reduce(Action::Restart(NodeId(2)));
        assert!(s.run.snap.nodes[2].learned.is_empty());
        assert!(s.run.engine().history().late.contains(NodeId(2)), "the outcome panel says why it learned nothing");
        // The note's promise holds: another ballot's accepted messages reach it.
        let s = play_for(s.reduce(Action::Propose { node: NodeId(1), value: Value::text("w") }), 20_000.0);
        assert_eq!(s.run.snap.nodes[2].learned, vec![(Slot(0), Value::text("v"))]);
    }

    #[test]
    fn the_happy_path_never_times_out() {
        // The default latency is slower than the core's default timeout: a ballot about to succeed was abandoned
        // ("timed out") just before its value was chosen.
        for mode in [Mode::Single, Mode::Multi] {
            for seed in 1..=12 {
                let s = Rc::new(AppState::new(Settings { seed, mode, ..Settings::default() }));
                let value = Value::text("v");
                let s = play_for(s.reduce(Action::Propose { node: NodeId(0), value: value.clone() }), 20_000.0);
                assert_eq!(s.run.snap.chosen.first().map(|c| &c.1.value), Some(&value), "{mode:?} seed {seed}");
                let e = s.run.engine();
                let out: Vec<&str> =
                    e.history().log.iter().map(|l| l.text.as_str()).filter(|t| t.contains("timed out")).collect();
                assert!(out.is_empty(), "{mode:?} seed {seed}: {out:?}");
            }
        }
    }

    #[test]
    fn a_trace_opens_through_the_workers_link_at_its_end_and_a_refusal_is_said() {
        let mut cfg = Settings::default().sim_config().unwrap();
        cfg.cluster.bugs.minority_quorum = true;
        let commands = [
            Command::Propose { node: NodeId(0), value: Value::text("a") },
            Command::Propose { node: NodeId(2), value: Value::text("b") },
            Command::Step { count: 400 },
        ];
        let trace = paxos_sim::Trace::record(5, &cfg, commands).unwrap();
        let opened = start().reduce(Action::OpenTrace(paxos_worker::trace_to_link(&trace.to_json())));
        assert_eq!(opened.run.error, None);
        assert_eq!(opened.run.snap.violations, trace.violations);
        assert!(!opened.run.engine().rewound());
        // The page's link exports to the same trace.
        let back = paxos_sim::Trace::parse(&paxos_worker::link_to_trace(&opened.run.link()).unwrap()).unwrap();
        assert_eq!(back.events, trace.events);
        let refused = opened.clone().reduce(Action::OpenTrace(paxos_worker::trace_to_link("  ")));
        assert_eq!(refused.run.error.as_deref(), Some("This trace could not be opened: The file is empty."));
        assert_eq!(refused.run.link(), opened.run.link(), "a refused trace changes nothing");
    }

    #[test]
    fn each_violation_is_stamped_with_the_moment_it_appears() {
        // Agreement breaking in a delivery (what-if scenarios) and a promise decreasing at a restart (amnesia): the
        // page names each by its moment, the timeline's coordinate, so that moment must be exactly where it appears.
        let mut checked = 0;
        for (i, sc) in paxos_sim::scenario::of::<paxos_sim::Paxos>().iter().enumerate() {
            for what_if in [Bugs::default(), Bugs::default().with(paxos_core::Bug::IgnoreAccepted)] {
                let run = Run::scenario(LESSONS, i, false, what_if).unwrap();
                let mut e = run.engine.0.borrow_mut();
                let end = e.tape.len();
                e.seek(end);
                let moments = e.history().violation_moments.clone();
                assert_eq!(moments.len(), e.sim().violations().len(), "{}", sc.id);
                for (k, &m) in moments.iter().enumerate() {
                    e.seek(m - 1);
                    assert!(e.sim().violations().len() <= k, "{} violation {k} already at moment {}", sc.id, m - 1);
                    e.seek(m);
                    assert!(e.sim().violations().len() > k, "{} violation {k} not yet at moment {m}", sc.id);
                    checked += 1;
                }
                e.seek(end);
                assert!(e.history().log.iter().all(|l| l.moment <= end));
            }
        }
        assert!(checked >= 4, "the scenarios must break something: {checked}");
    }

    #[test]
    fn the_timeline_marks_what_a_recorded_scenario_reaches_and_a_fork_drops_its_old_future() {
        let i = paxos_sim::scenario::of::<paxos_sim::Paxos>().iter().position(|sc| sc.id == "amnesia").unwrap();
        let s = Rc::new(AppState {
            view: View::default(),
            run: Run::scenario(LESSONS, i, false, Bugs::default()).unwrap(),
        });
        let kinds: Vec<Mark> = s.run.engine().marks.iter().map(|m| m.1).collect();
        for k in [Mark::Crash, Mark::Restart, Mark::Chosen, Mark::Violation] {
            assert!(kinds.contains(&k), "{k:?} in {kinds:?}");
        }
        // Marked from the start, ahead of the moment shown: the scenario is recorded whole.
        assert!(s.run.engine().marks.iter().all(|m| m.0 > s.run.engine().at || s.run.engine().at > 0));
        let first_violation = s.run.engine().marks.iter().find(|m| m.1 == Mark::Violation).unwrap().0;
        let s = s.reduce(Action::Seek(first_violation - 1));
        let up = s.run.snap.nodes.iter().find(|n| n.up).unwrap().id;
        let s = s.reduce(Action::Crash(up));
        assert_eq!(s.run.error, None);
        let marks = s.run.engine().marks.clone();
        assert!(!marks.iter().any(|m| m.1 == Mark::Violation || m.1 == Mark::Restart), "{marks:?}");
        assert_eq!(marks.last(), Some(&(first_violation, Mark::Crash)), "the fork's own crash is marked");
    }

    #[test]
    fn reset_starts_over_with_the_new_settings() {
        let s = start().reduce(Action::Propose { node: NodeId(0), value: Value::text("v") });
        let s = s.reduce(Action::Reset(Settings { nodes: 5, seed: 9, ..Settings::default() }));
        assert_eq!(s.run.snap.nodes.len(), 5);
        assert!(s.run.snap.messages.is_empty());
        assert_eq!(s.run.engine().sim().seed(), 9);
    }

    #[test]
    fn the_focus_ballot_follows_the_selection() {
        let s = start()
            .reduce(Action::Propose { node: NodeId(1), value: Value::text("v") })
            .reduce(Action::Select(Selection::Node(NodeId(1))));
        assert_eq!(s.run.focus_ballot(), Some(Ballot { round: 1, node: NodeId(1) }));
    }
}

/// The reducer under random sequences of everything a person can do: it never panics, every moment it shows is
/// the moment a fresh replay of its tape shows, its link reopens the same run, and correct Paxos stays safe.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::tests::{address, loaded};
    use super::*;
    use paxos_core::{Bugs, Mode};
    type Settings = crate::input::PaxosSettings;
    type Action = super::Action<Paxos>;
    type Run = super::Run<Paxos>;
    use proptest::prelude::*;

    fn node() -> impl Strategy<Value = NodeId> {
        (0u8..5).prop_map(NodeId)
    }

    fn msg() -> impl Strategy<Value = MsgId> {
        (0u64..60).prop_map(MsgId)
    }

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            4 => (node(), "[a-c]{1,3}").prop_map(|(node, v)| Action::Propose { node, value: Value::text(&v) }),
            2 => node().prop_map(Action::Crash),
            2 => node().prop_map(Action::Restart),
            1 => (node(), node()).prop_map(|(a, b)| Action::Partition(vec![vec![a], vec![b]])),
            1 => Just(Action::Heal),
            1 => (node(), node(), any::<bool>()).prop_map(|(from, to, one_way)| Action::Cut { from, to, one_way }),
            1 => (node(), node(), any::<bool>()).prop_map(|(from, to, one_way)| Action::HealLink { from, to, one_way }),
            2 => msg().prop_map(Action::Drop),
            1 => msg().prop_map(Action::Duplicate),
            1 => msg().prop_map(Action::Delay),
            2 => msg().prop_map(Action::Deliver),
            1 => (0u64..30, 0u64..30, 0u8..40).prop_map(|(a, b, loss)| Action::Network {
                latency: (1 + a.min(b), 1 + a.max(b)),
                faults: Faults { loss: loss as f64, dup: 5.0 },
            }),
            6 => Just(Action::Step),
            1 => node().prop_map(Action::Tick),
            1 => Just(Action::RequestTxn),
            1 => Just(Action::ToggleClient),
            3 => (1.0f64..100.0, 1u64..50).prop_map(|(dt_ms, max_steps)| Action::Frame { dt_ms, max_steps }),
            1 => Just(Action::Play),
            1 => Just(Action::Pause),
            1 => (0usize..SPEEDS.len()).prop_map(Action::SetSpeed),
            2 => (0u64..200).prop_map(Action::Seek),
            2 => Just(Action::StepBack),
            1 => Just(Action::ShowViolation),
            1 => node().prop_map(|n| Action::Select(Selection::Node(n))),
            1 => Just(Action::CrashOrRestartSelected),
            1 => (0..paxos_sim::scenario::of::<paxos_sim::Paxos>().len(), any::<bool>(), bugs())
                .prop_map(|(index, guided, what_if)| Action::OpenScenario { index, guided, what_if }),
            1 => (settings(), bugs()).prop_map(|(s, bugs)| Action::Reset(Settings { bugs, ..s })),
            2 => Just(Action::TourNext),
            1 => Just(Action::TourBack),
            1 => Just(Action::TourExit),
        ]
    }

    /// Mostly none: a bug makes the safety property moot for the rest of the run.
    fn bugs() -> impl Strategy<Value = Bugs> {
        prop_oneof![
            6 => Just(Bugs::default()),
            1 => proptest::sample::select(paxos_core::Bug::ALL.to_vec()).prop_map(|b| Bugs::default().with(b)),
        ]
    }

    fn settings() -> impl Strategy<Value = Settings> {
        (0u64..1000, 3usize..6, any::<bool>()).prop_map(|(seed, nodes, multi)| Settings {
            seed,
            nodes,
            mode: if multi { Mode::Multi } else { Mode::Single },
            ..Settings::default()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn any_sequence_of_actions_keeps_the_run_replayable_and_safe(
            settings in settings(),
            actions in proptest::collection::vec(action(), 1..60),
            probe in 0u64..1000,
        ) {
            // The lessons fetched, so the scenarios and the tour open (not only ask for the lessons).
            let mut s = loaded(AppState::new(settings));
            for a in actions {
                s = s.reduce(a.clone());
                let e = s.run.engine();
                prop_assert!(e.at <= e.tape.len(), "after {a:?}: moment {} of {}", e.at, e.tape.len());
            }
            // The moment shown is the moment a fresh simulator replaying the tape shows (no checkpoints, no seeks).
            let fresh = |at: u64| Snapshot::of(&s.run.engine().tape.replay(at, true).unwrap());
            prop_assert_eq!(fresh(s.run.engine().at), s.run.engine().snapshot());
            // Any other moment too, reached by seeking from here (through the checkpoints).
            let len = s.run.engine().tape.len();
            let k = if len == 0 { 0 } else { probe % (len + 1) };
            let seeked = s.clone().reduce(Action::Seek(k));
            prop_assert_eq!(fresh(k), seeked.run.engine().snapshot());
            // (The states share one engine, mutated in place: from here on the seeked state is the page's.)
            let s = seeked;
            // The link reopens the same run at the same moment.
            let reopened = Run::from_link(&s.run.link()).unwrap();
            prop_assert_eq!(reopened.engine().snapshot(), s.run.engine().snapshot());
            // So does the address bar's address (a scenario by name, or the link), opened as a page would open it.
            let address = address(&s, "?embed=1");
            let (query, hash) = address.split_once('#').map_or((address.as_str(), ""), |(q, h)| (q, h));
            let options = crate::options::Options::<Paxos>::from_url(query, &format!("#{hash}"));
            prop_assert!(options.is_ok(), "{address}: {options:?}");
            let opened = loaded(AppState::from_options(&options.unwrap(), Settings::default(), None, ""));
            prop_assert_eq!(opened.run.engine().snapshot(), s.run.engine().snapshot(), "{}", address);
            // A scenario by name comes back with its narration at the same stage; a changed one is only its run.
            if hash.is_empty() {
                let (a, b) = (opened.run.tour.as_ref().unwrap(), s.run.tour.as_ref().unwrap());
                prop_assert_eq!((a.index, a.what_if), (b.index, b.what_if), "{}", address);
                // Paused, the same stage; playing, both of a stage whose part of the run holds the moment shown
                // (Next starts a stage at the last moment of the one before, which names that one).
                let at = s.run.engine().at;
                if s.run.playing {
                    prop_assert!(a.holds(a.played, at) && b.holds(b.played, at), "{address}: {} vs {}", a.played, b.played);
                } else {
                    prop_assert_eq!(a.played, b.played, "{}", address);
                }
            } else {
                prop_assert!(opened.run.tour.is_none());
            }
            // No bug was switched on, so nothing a person did may break safety.
            if s.run.engine().tape.config.cluster.bugs == Bugs::default() {
                prop_assert!(s.run.snap.violations.is_empty(), "{:?}", s.run.snap.violations);
                // Only the ignore-accepted and adopt-lowest bugs pass over the highest reported value (the quorum overlay
                // says so).
                let e = s.run.engine();
                prop_assert!(!e.history().ballots().values().any(crate::history::BallotStory::passed_over_the_highest));
            }
        }
    }
}

/// The same reducer runs Raft: nothing of it is Paxos's but its default.
#[cfg(test)]
mod raft_tests {
    use std::rc::Rc;

    use paxos_core::{NodeId, Slot, Value};
    use paxos_sim::snapshot::RaftRole;
    use paxos_sim::Raft;
    use yew::Reducible;

    use super::tests::LESSONS;
    use super::{Action, AppState, Selection};
    use crate::input::Settings;
    use crate::options::{Options, Shown};

    type State = AppState<Raft>;

    fn play_for(mut s: Rc<State>, ms: f64) -> Rc<State> {
        s = s.reduce(Action::Play);
        for _ in 0..(ms / 16.0) as usize {
            s = s.reduce(Action::Frame { dt_ms: 16.0, max_steps: 10_000 });
        }
        s
    }

    fn leader(s: &State) -> Option<NodeId> {
        s.run.snap.nodes.iter().find(|n| n.up && n.role == RaftRole::Leader).map(|n| n.id)
    }

    #[test]
    fn a_raft_cluster_elects_commits_a_request_and_travels_back_in_time() {
        let s = Rc::new(State::new(Settings::default()));
        assert_eq!(s.run.snap.nodes.len(), 3);
        // Raft's election timers act on their own: Play is not idle before anything is proposed.
        let s = play_for(s, 4_000.0);
        assert!(s.run.playing && s.run.idle_note.is_none(), "{:?}", s.run.idle_note);
        let l = leader(&s).expect("a leader is elected while time runs");
        let s = s.reduce(Action::Propose { node: l, value: Value::text("x") });
        let s = play_for(s, 8_000.0);
        let committed = |s: &State| s.run.snap.chosen.iter().any(|(_, c)| c.value == Value::text("x"));
        assert!(committed(&s), "{:?}", s.run.snap.chosen);
        assert!(s.run.snap.nodes.iter().all(|n| n.commit > Slot(1)), "every log commits the no-op and x");
        // Crashing the leader and playing on elects another in a higher term.
        let term = s.run.snap.nodes[l.index()].term;
        let s = play_for(s.reduce(Action::Select(Selection::Node(l))).reduce(Action::CrashOrRestartSelected), 6_000.0);
        let next = leader(&s).expect("a new leader");
        assert!(next != l && s.run.snap.nodes[next.index()].term > term);
        // Time travel: back to before the proposal, x is not committed; the link reopens the moment as Raft.
        let s = s.reduce(Action::Seek(1));
        assert!(!committed(&s));
        let Shown::Link(link) = s.run.shown() else { panic!("a run of one's own is a link") };
        assert!(link.starts_with("2."), "a Raft link is version 2: {link}");
        let again = super::Run::<Raft>::from_link(&link).unwrap();
        assert_eq!(again.snap, s.run.snap);
        // A Paxos page refuses it by name.
        let e = super::Run::<paxos_sim::Paxos>::from_link(&link).unwrap_err();
        assert!(e.contains("raft"), "{e}");
    }

    #[test]
    fn raft_scenarios_open_and_play_their_stages_through_the_pages_actions_and_what_if_breaks_them() {
        let s = Rc::new(State::new(Settings::default())).reduce(Action::LessonsLoaded(Ok(LESSONS.into())));
        let ids: Vec<_> = paxos_sim::scenario::of::<Raft>().iter().map(|sc| sc.id).collect();
        assert_eq!(ids, ["raft-election", "raft-up-to-date", "raft-log-repair", "raft-figure-8", "raft-membership"]);
        let fig8 = ids.iter().position(|id| *id == "raft-figure-8").unwrap();
        let mut s = s.reduce(Action::OpenScenario { index: fig8, guided: false, what_if: Default::default() });
        let stages = s.run.tour.as_ref().unwrap().stages.len();
        for _ in 0..stages * 2 {
            while s.run.playing {
                s = s.reduce(Action::Frame { dt_ms: 100.0, max_steps: 10_000 });
            }
            s = s.reduce(Action::TourNext);
        }
        let tour = s.run.tour.clone().unwrap();
        assert_eq!((tour.played, s.run.engine().at), (stages, tour.end()));
        assert!(s.run.snap.violations.is_empty(), "correct Raft keeps every rule");
        // What if a leader counted an old term's entry as committed?
        let bug = raft_core::Bugs::default().with(raft_core::Bug::CommitOldTerm);
        let mut s = s.reduce(Action::OpenScenario { index: fig8, guided: false, what_if: bug });
        assert_eq!(s.run.what_if_shown().unwrap().0, "commit-old-term");
        let end = s.run.tour.as_ref().unwrap().end();
        s = s.reduce(Action::Seek(end));
        let rules: Vec<_> = s.run.snap.violations.iter().map(|v| paxos_sim::RuleSet::name(v.rule)).collect();
        assert_eq!(rules.first(), Some(&"current_term_commit"), "{rules:?}");
        // Its address names the scenario and the bug, and reopens as Raft's.
        let address = Options::<Raft>::address("?protocol=raft", s.run.shown(), s.view.arrows, None);
        assert_eq!(address, format!("?protocol=raft&scenario=raft-figure-8&bug=commit-old-term&moment={}", tour.end()));
        let o = Options::<Raft>::from_url(&address, "").unwrap();
        assert_eq!(
            (o.scenario.as_deref(), o.bug.clone()),
            (Some("raft-figure-8"), Some(vec![raft_core::Bug::CommitOldTerm]))
        );
        assert!(Options::<paxos_sim::Paxos>::from_url(&address, "").unwrap_err().contains("cannot open in this paxos"));
    }

    #[test]
    fn every_raft_exercise_opens_and_its_reference_solution_through_the_pages_actions_solves_it() {
        use paxos_sim::goal::Progress;
        use paxos_sim::Command;
        // The page's Raft exercises come compiled, without their solutions: those are read from the source here.
        let mut s = Rc::new(State::new(Settings::default())).reduce(Action::LessonsLoaded(Ok(LESSONS.into())));
        let all = paxos_sim::exercise::all_of::<Raft>();
        assert_eq!(s.view.lessons.clone().unwrap().1 .0.len(), all.len(), "the Raft page lists Raft's exercises only");
        for e in &all {
            s = s.reduce(Action::Exercises(Some(e.id.clone())));
            assert_eq!(s.run.practice.as_ref().unwrap().exercise.id, e.id);
            assert!(matches!(s.run.progress(), Some(Progress::Open(_))), "{}: solved at the start", e.id);
            for c in &e.solution {
                let actions = match c.clone() {
                    Command::Step { count } => (0..count).map(|_| Action::Step).collect(),
                    Command::Propose { node, value } => vec![Action::Propose { node, value }],
                    Command::Crash { node } => vec![Action::Crash(node)],
                    Command::Restart { node } => vec![Action::Restart(node)],
                    Command::Partition { groups } => vec![Action::Partition(groups)],
                    Command::Heal => vec![Action::Heal],
                    Command::Drop { msg } => vec![Action::Drop(msg)],
                    Command::AddNode => vec![Action::AddNode],
                    Command::RemoveNode { node } => vec![Action::RemoveNode(node)],
                    other => panic!("no page control for {other:?}"),
                };
                for a in actions {
                    s = s.reduce(a);
                    assert_eq!(s.run.error, None, "{}: {c:?} refused", e.id);
                }
            }
            assert!(matches!(s.run.progress(), Some(Progress::Met { .. })), "{}: {:?}", e.id, s.run.progress());
            assert!(s.view.solved.split(',').any(|x| x == e.id), "{} is marked solved", e.id);
            // The address names the protocol and the exercise, and reopened it is solved again (re-verified).
            let addr = Options::<Raft>::address("?protocol=raft", s.run.shown(), s.view.arrows, s.practice_param());
            assert!(addr.starts_with(&format!("?protocol=raft&exercise={}#run=2.", e.id)), "{addr}");
            let (q, hash) = addr.split_at(addr.find('#').unwrap());
            let o = Options::<Raft>::from_url(q, hash).unwrap();
            let fresh = Rc::new(State::from_options(&o, Settings::default(), None, ""));
            let fresh = fresh.reduce(Action::LessonsLoaded(Ok(LESSONS.into())));
            assert!(matches!(fresh.run.progress(), Some(Progress::Met { .. })), "{}: reopened", e.id);
        }
    }
}
