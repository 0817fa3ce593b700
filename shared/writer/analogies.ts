import type { Subject } from '../domain/library.js';
import { INTEREST_FAMILIES, type InterestFamily } from '../domain/script.js';

/** Longest narrated analogy (the narrator reads it in one interest beat). */
export const ANALOGY_SAY_MAX = 380;
/** Longest analogy card (one line on an interest beat's screen). */
export const ANALOGY_CARD_MAX = 110;
/** What stands in for a concept too long for any template to carry. */
const SHORT_CONCEPT = 'this idea';

/**
 * Interest keywords per family, singular and lower case (plurals are matched too). Two-word keywords ("video game") win over
 * the one-word keywords inside them ("game"), so "animal crossing" is a game and "rock music" music.
 */
export const FAMILY_KEYWORDS: Record<Exclude<InterestFamily, 'general'>, readonly string[]> = {
  sports: [
    'sport', 'basketball', 'soccer', 'football', 'fútbol', 'futbol', 'baseball', 'softball', 'volleyball', 'tennis', 'table tennis', 'ping pong',
    'badminton', 'pickleball', 'golf', 'hockey', 'ice hockey', 'field hockey', 'lacrosse', 'rugby', 'cricket', 'skateboarding', 'skateboard',
    'skating', 'figure skating', 'roller skating', 'skiing', 'snowboarding', 'surfing', 'swimming', 'diving', 'water polo', 'running', 'track',
    'track and field', 'cross country', 'marathon', 'cycling', 'gymnastics', 'cheerleading', 'cheer', 'wrestling', 'boxing', 'martial art',
    'karate', 'judo', 'taekwondo', 'kung fu', 'fencing', 'rowing', 'climbing', 'rock climbing', 'bouldering', 'parkour', 'athletics', 'yoga',
    'weightlifting', 'gym', 'fitness', 'workout', 'frisbee', 'ultimate frisbee', 'bowling', 'archery', 'nba', 'nfl', 'mlb', 'olympics', 'esport',
  ],
  music: [
    'music', 'guitar', 'piano', 'keyboard', 'drum', 'drumming', 'violin', 'viola', 'cello', 'bass', 'ukulele', 'flute', 'trumpet', 'trombone',
    'saxophone', 'sax', 'clarinet', 'band', 'marching band', 'orchestra', 'choir', 'singing', 'song', 'songwriting', 'rap', 'rapping', 'hip hop',
    'kpop', 'k pop', 'jpop', 'pop music', 'rock music', 'rock and roll', 'jazz', 'blues', 'country music', 'classical music', 'opera', 'musical',
    'dj', 'djing', 'concert', 'dance', 'dancing', 'ballet', 'beatboxing', 'producing music',
  ],
  games: [
    'game', 'gaming', 'gamer', 'video game', 'videogame', 'board game', 'card game', 'minecraft', 'fortnite', 'roblox', 'chess', 'checkers',
    'pokemon', 'zelda', 'mario', 'tetris', 'sudoku', 'puzzle', 'rubik', 'rubiks cube', 'league of legends', 'valorant', 'overwatch',
    'among us', 'animal crossing', 'dungeons and dragons', 'd and d', 'dnd', 'poker', 'esports', 'e sports', 'xbox', 'playstation', 'nintendo',
  ],
  cooking: [
    'cooking', 'cook', 'baking', 'bake', 'baker', 'chef', 'food', 'recipe', 'kitchen', 'pastry', 'cake', 'cupcake', 'cookie', 'bread', 'pizza',
    'barbecue', 'bbq', 'grilling', 'sushi', 'dessert', 'candy', 'chocolate', 'ice cream', 'smoothie', 'coffee', 'tea', 'snack', 'eating',
  ],
  art: [
    'art', 'drawing', 'draw', 'painting', 'sketching', 'anime', 'manga', 'comic', 'cartoon', 'animation', 'photography', 'photo', 'sculpture',
    'pottery', 'ceramics', 'craft', 'crafting', 'knitting', 'crochet', 'sewing', 'fashion', 'design', 'graphic design', 'calligraphy', 'origami',
    'theater', 'theatre', 'acting', 'film', 'movie', 'filmmaking', 'poetry', 'writing', 'reading', 'book', 'graffiti', 'makeup',
  ],
  animals: [
    'animal', 'dog', 'puppy', 'cat', 'kitten', 'horse', 'horse riding', 'horseback riding', 'pony', 'equestrian', 'bird', 'birdwatching', 'pet',
    'fish', 'aquarium', 'reptile', 'snake', 'lizard', 'turtle', 'frog', 'dinosaur', 'shark', 'whale', 'dolphin', 'insect', 'bug', 'butterfly',
    'bee', 'rabbit', 'bunny', 'hamster', 'guinea pig', 'zoo', 'wildlife', 'marine biology', 'veterinary', 'vet',
  ],
  space: [
    'space', 'outer space', 'rocket', 'rocketry', 'astronomy', 'astronaut', 'star', 'stargazing', 'planet', 'galaxy', 'black hole', 'moon',
    'mars', 'nasa', 'spacex', 'satellite', 'telescope', 'universe', 'cosmos', 'star wars', 'star trek', 'sci fi', 'science fiction',
  ],
  vehicles: [
    'car', 'race car', 'racing', 'formula 1', 'formula one', 'f1', 'nascar', 'truck', 'monster truck', 'bike', 'bicycle', 'biking',
    'motorcycle', 'motorbike', 'dirt bike', 'bmx', 'scooter', 'go kart', 'karting', 'train', 'railway', 'railroad', 'plane', 'airplane',
    'aeroplane', 'aviation', 'flying', 'pilot', 'helicopter', 'jet', 'drone', 'boat', 'sailing', 'ship', 'submarine', 'bus', 'tractor',
    'mechanic', 'engine',
  ],
  building: [
    'lego', 'architecture', 'engineering', 'engineer', 'building', 'construction', 'robot', 'robotics', 'woodworking', 'carpentry',
    'inventing', 'invention', 'coding', 'programming', 'computer', 'electronics', 'circuit', 'arduino', '3d printing', 'bridge', 'diy',
    'tinkering', 'maker', 'model building', 'model making',
  ],
  nature: [
    'nature', 'hiking', 'hike', 'camping', 'gardening', 'garden', 'plant', 'flower', 'tree', 'forest', 'weather', 'storm', 'tornado',
    'hurricane', 'climate', 'ocean', 'beach', 'mountain', 'river', 'lake', 'fishing', 'outdoors', 'rock', 'rock collecting', 'geology',
    'volcano', 'earthquake', 'farming', 'environment', 'ecology', 'snow', 'rain', 'sunset', 'exploring',
  ],
};

/** A narrated analogy and its one-line screen version, with `{interest}` and `{concept}` slots. */
export interface AnalogyTemplate {
  say: string;
  card: string;
}

/**
 * Analogies per subject and interest family. Each works for any concept of its subject: the concept
 * is slotted in only as a noun phrase, never as the subject of a verb that must agree with it ("look
 * for {concept}", "{concept} could"), and never opens a sentence. The interest is slotted only where
 * any phrase of its family reads well ("anyone who loves {interest}", "in {interest}" for activities).
 * The general family (no usable interest) uses everyday life and no `{interest}`.
 */
export const ANALOGY_TEMPLATES: Record<Subject, Record<InterestFamily, readonly AnalogyTemplate[]>> = {
  physics: {
    sports: [
      {
        say: 'Picture one play in {interest}: a push off the ground, a sudden stop, a ball or a body flying through the air. Each of those moments is a chance to spot {concept} at work, if you know where to look.',
        card: '{interest}: spot {concept} in every move',
      },
      {
        say: 'Slow down a replay from {interest} and you can watch physics frame by frame, as speeds change, forces push and pull, and energy passes from one thing to another. Ask which part of that replay {concept} could explain.',
        card: 'Replay {interest} slowly: find {concept}',
      },
      {
        say: 'Coaches in {interest} talk about power, speed and balance, and physicists describe the same moves with ideas like {concept}. At your next practice, ask where you could see {concept} in what your body and your gear are doing.',
        card: 'Next {interest} practice: find {concept}',
      },
    ],
    music: [
      {
        say: 'Every note in {interest} starts with something that vibrates: a string, a drum skin, a column of air or your own vocal cords. Think about {concept} the next time you hear that sound fill a room.',
        card: '{interest}: hear {concept} in every note',
      },
      {
        say: 'A concert for fans of {interest} is a physics show too: speakers push the air, lights glow, performers jump and the stage carries the weight of it all. Look for {concept} somewhere in that show.',
        card: 'A {interest} concert, seen through {concept}',
      },
      {
        say: 'Anyone who loves {interest} knows the moves: tune, strike, pluck, press and breathe. Each of those moves involves forces, energy and motion, so practice time is a good moment to think about {concept}.',
        card: 'Tune, strike, press: {concept} in {interest}',
      },
    ],
    games: [
      {
        say: 'Every game, from {interest} to a quick game of catch, runs on rules about what can move and how. The real world has its own rules, and the idea of {concept} is one of them, working the same way in every match.',
        card: 'Rules of {interest}, rules of {concept}',
      },
      {
        say: 'Think of {interest} as a world with its own settings for speed, strength and timing. Our world has settings too, and learning about {concept} is like reading the settings menu for the real one.',
        card: 'The real world’s settings menu: {concept}',
      },
      {
        say: 'Players who get good at {interest} learn to predict what happens next from a few simple rules. Physicists do the same thing with {concept}, predicting motion, light and energy before anything happens.',
        card: 'Predict the next move: {interest} and {concept}',
      },
    ],
    cooking: [
      {
        say: 'A kitchen is full of physics for anyone into {interest}: heat flowing into a pan, steam lifting a lid, a whisk spinning and a knife pressing down. Look for {concept} in one of those moments the next time you cook.',
        card: '{interest}: find {concept} in the kitchen',
      },
      {
        say: 'When you roll dough, stir a pot or wait for an oven to heat up, you are running small physics experiments. Think about {concept} the next time you are busy with {interest}.',
        card: '{interest} as a physics lab: {concept}',
      },
      {
        say: 'Anyone who loves {interest} knows that timing, temperature and force all matter: too much heat or too hard a press and things go wrong. Physics explains why, and understanding {concept} is part of that explanation.',
        card: 'Heat, timing, force: {concept} in {interest}',
      },
    ],
    art: [
      {
        say: 'Artists in {interest} work with light, colour, motion and balance, even when the scene only exists on paper or a screen. Try creating a scene that shows {concept}, because explaining an idea in a picture is a great test of how well you know it.',
        card: '{interest} challenge: show {concept}',
      },
      {
        say: 'In {interest}, a good artist makes motion believable: a falling object speeds up, a jump has an arc, a hit knocks someone back. Those details come straight from physics, and studying {concept} is one way to get them right.',
        card: 'Believable motion in {interest}: {concept}',
      },
      {
        say: 'Light and shadow in {interest} follow the same physics as light in the real world, and so does every motion an artist draws. Look for {concept} the next time you study a work you love.',
        card: 'Light and motion in {interest}: {concept}',
      },
    ],
    animals: [
      {
        say: 'Anyone who loves {interest} has watched animals run, jump, land and shake off water. Every one of those moves obeys physics, so look for {concept} in the way an animal pushes against the world.',
        card: '{interest}: spot {concept} in every leap',
      },
      {
        say: 'Animals are expert physicists without knowing it: a cat lands on its feet, a bird rides the wind, a horse keeps its balance at full speed. Anyone who loves {interest} can look for {concept} in moves like these.',
        card: '{interest} and {concept}: watch closely',
      },
      {
        say: 'Size, speed, weight and balance shape how every animal moves and senses the world. Think about {concept} the next time you are around animals, from a bird outside your window to the world of {interest}.',
        card: 'Animals and {concept}: start with {interest}',
      },
    ],
    space: [
      {
        say: 'Anyone who loves {interest} is already thinking about physics on a huge scale: rockets pushing against their exhaust, planets held in orbit, light crossing empty space. Look for {concept} in that story, and it reads like real science fiction.',
        card: '{interest}: find {concept} out in space',
      },
      {
        say: 'The same laws work on a launch pad and in your bedroom, which is why the world of {interest} is a great place to test {concept}. If an idea works for a rocket or a moon, it works for a ball you throw too.',
        card: 'From {interest} to your room: {concept}',
      },
      {
        say: 'Astronauts, engineers and astronomers lean on ideas like {concept} to plan every mission. If you love {interest}, imagine the team checking those ideas one last time before launch day.',
        card: '{interest}: mission check with {concept}',
      },
    ],
    vehicles: [
      {
        say: 'Every trip in the world of {interest} is a lesson in motion: starting, speeding up, braking, turning and carrying a load. Look for {concept} in one of those moments the next time you ride or watch.',
        card: '{interest}: {concept} on the move',
      },
      {
        say: 'Engineers in the world of {interest} think hard about forces, energy and friction, because a mistake shows up on the road, the rails or in the air. Ideas like {concept} are part of their everyday toolkit.',
        card: 'An engineer’s tool for {interest}: {concept}',
      },
      {
        say: 'Picture a sudden stop in the world of {interest}: passengers lurch forward, brakes heat up, and wheels grip or slide. Physics explains each part of that moment, and you can start with {concept}.',
        card: '{interest}, sudden stop: {concept}',
      },
    ],
    building: [
      {
        say: 'In {interest}, a structure only stands if the forces on it balance and its pieces can carry the load. Think about {concept} the next time you build something and watch how it holds together.',
        card: '{interest}: build with {concept} in mind',
      },
      {
        say: 'Builders and engineers test ideas before they trust them: they push, load, shake and measure. If you love {interest}, try the same with {concept} by building a small model and testing what happens.',
        card: 'Build it, test it: {interest} and {concept}',
      },
      {
        say: 'Every machine and structure in {interest} turns energy, force and motion into something useful. Take one apart in your head and ask what role {concept} could play.',
        card: '{interest}: where could {concept} fit?',
      },
    ],
    nature: [
      {
        say: 'Anyone who loves {interest} sees physics outdoors all the time: wind bending trees, water flowing downhill, sunlight warming rocks, thunder rolling after lightning. Look for {concept} the next time you are outside.',
        card: '{interest}: look for {concept} outdoors',
      },
      {
        say: 'Weather, rivers and rocks follow the same physics as a lab experiment, only on a much bigger scale. If you love {interest}, you have a whole outdoor lab for exploring {concept}.',
        card: '{interest}: an outdoor lab for {concept}',
      },
      {
        say: 'Nature runs on energy: sunlight, falling water, wind and growing plants all move it around. If you love {interest}, think about {concept} the next time you are outdoors, and ask where the energy is going.',
        card: '{interest} outdoors: think about {concept}',
      },
    ],
    general: [
      {
        say: 'Your ordinary day is full of physics: you push open a door, ride to school, drop a pencil and warm up your lunch. Pick one of those moments and ask what {concept} could tell you about it.',
        card: 'Everyday life: look for {concept}',
      },
      {
        say: 'You do not need a lab to see physics. A phone screen glowing, a ball rolling to a stop, a kettle starting to boil: look for {concept} in something that happens around you today.',
        card: 'No lab needed: find {concept} today',
      },
      {
        say: 'Think about {concept} the next time you ride in a car or a bus and feel yourself pushed back as it speeds up, or pulled sideways on a turn. Everyday motion is the best physics demonstration there is.',
        card: 'Your ride to school: {concept} at work',
      },
    ],
  },
  chemistry: {
    sports: [
      {
        say: 'A hard session of {interest} is fuelled by chemistry: food breaking down inside your muscles, sweat cooling your skin, and gear built molecule by molecule. Look for {concept} somewhere in that mix.',
        card: 'The chemistry of {interest}: {concept}',
      },
      {
        say: 'Sports drinks, grip chalk, ball rubber and the fabric of a jersey were all designed by chemists. The next time you gear up for {interest}, ask how {concept} could explain one of those materials.',
        card: 'Your {interest} gear: look for {concept}',
      },
      {
        say: 'When you push hard in {interest}, your body runs chemical reactions nonstop, turning sugar and oxygen into energy, water and carbon dioxide. Think about {concept} the next time you feel out of breath.',
        card: 'Out of breath in {interest}? Think {concept}',
      },
    ],
    music: [
      {
        say: 'Instruments are chemistry you can hear: metal strings, wooden bodies, plastic keys and even the rosin on a violin bow are chosen for how their atoms hold together. Think about {concept} the next time you listen to {interest}.',
        card: '{interest}, atom by atom: {concept}',
      },
      {
        say: 'At a concert for fans of {interest}, the stage fog, the glowing colours and the batteries in every microphone all come from chemistry. Ask where {concept} could fit into that show.',
        card: 'Concert chemistry for {interest}: {concept}',
      },
      {
        say: 'Old recordings fade, strings rust and reeds wear out, all because of chemical change. Anyone who loves {interest} can look for {concept} in how instruments and recordings are made and how they age.',
        card: '{interest}: {concept} in every instrument',
      },
    ],
    games: [
      {
        say: 'In {interest}, you win by combining the right pieces in the right order. Chemistry works the same way: atoms combine by strict rules, and learning {concept} is learning part of that rulebook.',
        card: 'From {interest} to atoms: {concept}',
      },
      {
        say: 'Think of every element as a game piece with its own moves: some pieces team up easily, and some never do. If you love {interest}, you already have the skills to learn rules like {concept}.',
        card: 'Skills from {interest}, applied to {concept}',
      },
      {
        say: 'Good players in {interest} notice patterns and predict what comes next. Chemists do the same thing with {concept}, predicting what will happen when substances meet before anyone mixes them.',
        card: 'Spot the pattern: {interest} and {concept}',
      },
    ],
    cooking: [
      {
        say: 'A kitchen is a chemistry lab for anyone into {interest}: bread rises, sugar browns, eggs set and baking soda fizzes. Look for {concept} in one of those changes the next time you cook.',
        card: '{interest}: the chemistry of {concept}',
      },
      {
        say: 'Anyone who loves {interest} follows recipes, and every recipe is a set of instructions for a chemical change. Think about {concept} the next time you measure, mix and heat.',
        card: '{interest}: a recipe for {concept}',
      },
      {
        say: 'Salt dissolving in water, oil refusing to mix with vinegar, a cake browning in the oven: the world of {interest} is full of chemistry you can taste. Ask how {concept} could explain one of those changes.',
        card: 'Taste the chemistry of {interest}: {concept}',
      },
    ],
    art: [
      {
        say: 'Paints, inks, clay glazes and screen pixels all get their colours from chemistry, from how atoms and molecules absorb and give off light. Anyone into {interest} can look for {concept} in the materials on the desk.',
        card: 'Art materials for {interest}: {concept}',
      },
      {
        say: 'Experts who restore old paintings are part chemist: they test solvents, study pigments and slow down fading. If you love {interest}, imagine using {concept} to rescue a favourite work of art from decay.',
        card: 'Fans of {interest}: rescue art with {concept}',
      },
      {
        say: 'Mix two colours of paint, fire a pot in a kiln or develop a photo, and you are running a chemical change. The world of {interest} is full of chances to see {concept} up close.',
        card: '{interest}: see {concept} up close',
      },
    ],
    animals: [
      {
        say: 'Every animal is a walking chemistry set: digestion breaks food apart, blood carries oxygen, and signals travel between cells. Anyone who loves {interest} can look for {concept} in what keeps an animal alive.',
        card: '{interest} and the chemistry of {concept}',
      },
      {
        say: 'A dog’s nose, a firefly’s glow and a snake’s venom all come down to molecules. Anyone who loves {interest} can think about {concept} the next time an animal does something amazing.',
        card: '{interest}, molecule by molecule: {concept}',
      },
      {
        say: 'Feeding a pet is a chemistry problem: the right nutrients, the right amounts and clean water all matter. If you love {interest}, ask how {concept} could explain what an animal needs to stay healthy.',
        card: '{interest}: healthy animals and {concept}',
      },
    ],
    space: [
      {
        say: 'Rockets fly on chemistry: fuel and oxygen react so fast that hot gas blasts out the back. Anyone who loves {interest} can think about {concept} while picturing a launch.',
        card: 'Launch-day chemistry for {interest}: {concept}',
      },
      {
        say: 'Astronomers read the chemistry of stars from their light, spotting elements across enormous distances. If you love {interest}, imagine using {concept} to work out what a distant world is made of.',
        card: 'Reading the stars: {interest} and {concept}',
      },
      {
        say: 'Astronauts breathe, drink and eat thanks to chemistry: air is scrubbed, water is recycled and food is sealed against spoiling. The world of {interest} depends on ideas like {concept}.',
        card: '{interest}: life support and {concept}',
      },
    ],
    vehicles: [
      {
        say: 'Every engine and battery in the world of {interest} runs on a chemical reaction that releases energy. Think about {concept} the next time you see something start up and move.',
        card: '{interest}: powered by chemistry, {concept}',
      },
      {
        say: 'Tyres, paint, fuel, brake pads and batteries were all designed by chemists for speed, grip and safety. Anyone who loves {interest} can look for {concept} in what a machine is made of.',
        card: 'Built by chemists: {interest} and {concept}',
      },
      {
        say: 'Rust is the enemy of everything in the world of {interest}: metal slowly reacts with oxygen and water until it weakens. Ask how {concept} could help explain that slow chemical battle.',
        card: 'Rust versus {interest}: {concept}',
      },
    ],
    building: [
      {
        say: 'Concrete hardens, steel resists rust, glue sets and plastic bricks keep their shape because of chemistry. In {interest}, the right material matters, so look for {concept} in what you build with.',
        card: 'Build smart in {interest}: {concept}',
      },
      {
        say: 'Engineers test materials for strength, heat and corrosion before they trust them. If you love {interest}, imagine the lab tests you would run, with {concept} as your guide.',
        card: '{interest}: a lab test with {concept}',
      },
      {
        say: 'A battery in a robot, the mortar in a brick wall and the coating on a bridge are all chemistry at work. Anyone into {interest} can look for {concept} the next time they build or fix something.',
        card: 'Build or fix: {interest} meets {concept}',
      },
    ],
    nature: [
      {
        say: 'Leaves change colour, rocks weather away, rain carries dissolved minerals and fires burn through dry brush: outdoors, chemistry never stops. Anyone who loves {interest} can look for {concept} on the next trip outside.',
        card: '{interest}: chemistry outdoors, {concept}',
      },
      {
        say: 'The air, the soil and every stream hold a mix of substances that keep changing. If you love {interest}, think about {concept} the next time you smell rain or see rust on a fence.',
        card: '{interest}: smell the rain, think {concept}',
      },
      {
        say: 'Plants make sugar from sunlight, water and carbon dioxide, the most important chemical reaction on Earth. In the world of {interest}, ask how {concept} could connect to that reaction or to the ones around it.',
        card: 'Sunlight, sugar, {concept}: {interest}',
      },
    ],
    general: [
      {
        say: 'Your kitchen, bathroom and backpack are full of chemistry: soap lifting grease, toast browning, a phone battery charging. Pick one of those moments and ask how {concept} could explain it.',
        card: 'Everyday chemistry: {concept}',
      },
      {
        say: 'Every breath you take, every meal you eat and every cleaner you use involves substances changing. Think about {concept} the next time you notice something fizz, burn, dissolve or change colour.',
        card: 'Fizz, burn, dissolve: {concept}',
      },
      {
        say: 'Look at the labels on things around your home and you will find chemistry everywhere, from toothpaste to cleaning spray. Ask where {concept} could show up in the things you use every day.',
        card: 'Read the label: {concept} at home',
      },
    ],
  },
  biology: {
    sports: [
      {
        say: 'A single session of {interest} puts your whole body to work: muscles contract, your heart speeds up, your lungs pull in oxygen and your cells burn fuel. Look for {concept} in what your body does before, during and after.',
        card: 'Your body in {interest}: {concept}',
      },
      {
        say: 'Athletes in {interest} train to change their bodies: stronger muscles, better lungs, faster reactions. Biology explains how that change happens, and {concept} could be part of that story.',
        card: 'Training for {interest}: {concept}',
      },
      {
        say: 'Think about {concept} the next time you watch {interest} and see a player recover from a hard fall or a long race. Healing, tiredness and recovery are all biology at work.',
        card: 'Recovery after {interest}: {concept}',
      },
    ],
    music: [
      {
        say: 'Music is biology too: your ears turn vibrations into nerve signals, your brain finds the rhythm, and your body moves without being told. Anyone who loves {interest} can look for {concept} in how a living body makes and hears sound.',
        card: '{interest} and your body: {concept}',
      },
      {
        say: 'Singing and playing take breath control, muscle memory and trained reflexes. If you love {interest}, think about {concept} and how practice changes the living body that makes the music.',
        card: 'Practice changes you: {interest} and {concept}',
      },
      {
        say: 'Birds sing, whales call and crickets chirp, because living things use sound to find mates, warn others and stay together. Fans of {interest} can look for {concept} in how living things make and use sound.',
        card: 'Nature’s music and {interest}: {concept}',
      },
    ],
    games: [
      {
        say: 'In {interest}, you adapt your strategy to survive, and the strategies that work get used again. Living things go through something similar over many generations, and {concept} can help explain how life keeps up.',
        card: 'Adapt to survive: {interest} and {concept}',
      },
      {
        say: 'Every character in {interest} has something like stats for health, energy and speed. Real living things balance their own stats through biology, and you can see {concept} at work in that balancing act.',
        card: 'Real-life stats: {interest} and {concept}',
      },
      {
        say: 'Good players in {interest} learn by trial and error, and their brains rewire as they improve. Think about {concept} the next time you feel yourself getting better at something.',
        card: 'Level up in {interest}: {concept}',
      },
    ],
    cooking: [
      {
        say: 'Yeast in bread, bacteria in yogurt and mould on old cheese are all living things that anyone into {interest} works with, planned or not. Look for {concept} in how those tiny organisms grow and change food.',
        card: 'Living things in {interest}: {concept}',
      },
      {
        say: 'Every meal you cook is broken down by your body into the building blocks of cells. If you love {interest}, think about {concept} the next time you eat what you made.',
        card: 'From {interest} to your cells: {concept}',
      },
      {
        say: 'Fruits, vegetables, grains and eggs all come from living things, and biology built each one before it reached the kitchen. Anyone who loves {interest} can ask where {concept} could show up in the story of an ingredient.',
        card: 'Ingredients in {interest}: {concept}',
      },
    ],
    art: [
      {
        say: 'Artists in {interest} study living bodies closely: how muscles bulge, how eyes catch light and how plants grow toward the sun. Look for {concept} the next time you draw or watch something alive.',
        card: 'Draw life in {interest}: {concept}',
      },
      {
        say: 'Your eyes and brain decide what colour and shape look like, and artists take advantage of that biology. If you love {interest}, think about {concept} and how living things see, move and grow.',
        card: '{interest}, seen by living eyes: {concept}',
      },
      {
        say: 'Nature has inspired artists for centuries: shells, leaves, feathers and wings all have patterns shaped by biology. Anyone into {interest} can look for {concept} in a living pattern worth drawing.',
        card: '{interest}: patterns of life, {concept}',
      },
    ],
    animals: [
      {
        say: 'Anyone who loves {interest} has seen biology in action: eating, sleeping, growing, healing and raising young. Look for {concept} in what an animal does on an ordinary day.',
        card: '{interest}: look for {concept} every day',
      },
      {
        say: 'Every animal body is a solution to a problem: staying warm, catching food, escaping danger. If you love {interest}, ask how {concept} could explain one of those solutions.',
        card: '{interest} and {concept}: nature’s solutions',
      },
      {
        say: 'Anyone who loves {interest} knows that animals inherit traits from their parents, and over many generations those traits change. Think about {concept} the next time you notice how much two animals of the same kind can differ.',
        card: 'Traits in {interest}: {concept}',
      },
    ],
    space: [
      {
        say: 'Astronauts lose bone and muscle in space, and their hearts and eyes change too. If you love {interest}, think about {concept} and how a living body copes far from Earth.',
        card: 'Bodies in space: {interest} and {concept}',
      },
      {
        say: 'Scientists searching for life on other worlds start from what life needs here: water, energy and the right chemistry. Anyone into {interest} can use {concept} to imagine what alien life might look like.',
        card: '{interest}: life on other worlds, {concept}',
      },
      {
        say: 'Sunlight, the day and night cycle and the pull of the Moon shape life on Earth, from plant growth to animal sleep. Fans of {interest} can look for {concept} in how living things respond to the sky.',
        card: 'The sky shapes life: {interest} and {concept}',
      },
    ],
    vehicles: [
      {
        say: 'Engineers in the world of {interest} often copy nature: birds inspired wings, fish inspired hulls and burrs inspired fasteners. Look for {concept} in how living things solve the problems machines face.',
        card: 'Nature-inspired {interest}: {concept}',
      },
      {
        say: 'Drivers, riders and pilots depend on fast reflexes, sharp eyes and steady nerves, and all of that is biology. If you love {interest}, think about {concept} and what your body does at the controls.',
        card: '{interest}, at the controls: {concept}',
      },
      {
        say: 'Roads, railways and airports change the habitats around them, and living things adapt or move away. Anyone into {interest} can ask how {concept} could explain what happens to wildlife along the way.',
        card: '{interest} and wildlife: {concept}',
      },
    ],
    building: [
      {
        say: 'Living things are master builders: bones are strong but light, beehives use clever shapes, and trees hold themselves up in storms. If you love {interest}, look for {concept} in how life builds.',
        card: '{interest}, nature’s way: {concept}',
      },
      {
        say: 'A cell works like a busy construction site, with workers, supplies, blueprints and walls. Anyone into {interest} can picture {concept} as one part of that site at work.',
        card: '{interest}: build a cell with {concept}',
      },
      {
        say: 'Bioengineers grow tissues, design artificial limbs and build robots that walk like animals. If you love {interest}, imagine how {concept} could help you build something that works with the living body.',
        card: '{interest} meets biology: {concept}',
      },
    ],
    nature: [
      {
        say: 'Anyone who loves {interest} is surrounded by biology: plants, insects, birds and fungi all competing and cooperating. Look for {concept} the next time you are outside and notice what is growing or moving.',
        card: '{interest}: find {concept} outside',
      },
      {
        say: 'Every patch of ground is an ecosystem, with producers, consumers and decomposers all linked together. If you love {interest}, ask how {concept} could fit into that web of life.',
        card: '{interest} and the web of life: {concept}',
      },
      {
        say: 'Seasons change what living things do: leaves fall, animals migrate and seeds wait for spring. Anyone into {interest} can think about {concept} the next time the season changes.',
        card: 'Seasons, {interest} and {concept}',
      },
    ],
    general: [
      {
        say: 'Your own body is the best biology lab you have: you breathe, digest, heal, grow and react every minute of the day. Ask how {concept} could explain something your body did today.',
        card: 'Your body today: {concept}',
      },
      {
        say: 'Life is everywhere around you, from the plants on a windowsill to the bacteria on your hands. Look for {concept} in one living thing you see today.',
        card: 'Look around: {concept} in living things',
      },
      {
        say: 'Think about {concept} the next time you eat a meal, catch a cold or feel tired after a long day. Each of those moments is biology happening to you.',
        card: 'Everyday biology: {concept}',
      },
    ],
  },
  math: {
    sports: [
      {
        say: 'Numbers run through {interest}: scores, times, distances, angles and averages. Pick one number that matters to you and ask how {concept} could describe it or predict it.',
        card: '{interest} by the numbers: {concept}',
      },
      {
        say: 'Coaches and analysts in {interest} use math to decide who plays, which strategy works and how a season might end. Imagine using {concept} as one of their tools.',
        card: '{interest} analytics: {concept}',
      },
      {
        say: 'Track your own progress in {interest} for a few weeks, and the numbers will form a pattern. That pattern is exactly the kind of thing {concept} can help you describe.',
        card: 'Your {interest} stats: {concept}',
      },
    ],
    music: [
      {
        say: 'Music is full of math: beats divide time into equal parts, scales follow patterns, and harmonies depend on ratios. Anyone into {interest} can look for {concept} in the rhythm of a favourite song.',
        card: 'Count the beat in {interest}: {concept}',
      },
      {
        say: 'Streaming numbers, ticket prices and play counts in the world of {interest} all change over time in patterns. Ask how {concept} could describe one of those patterns.',
        card: '{interest} streams and sales: {concept}',
      },
      {
        say: 'Practice time for anyone into {interest} adds up in a pattern you can measure. Think about {concept} the next time you count beats, bars or minutes of practice.',
        card: 'Practice minutes: {interest} and {concept}',
      },
    ],
    games: [
      {
        say: 'Every move in {interest} is a little math problem: chances, scores, distances and choices all add up. Look for {concept} the next time you plan a move.',
        card: '{interest}: plan your move with {concept}',
      },
      {
        say: 'Game designers balance games like {interest} with math, tuning numbers so that no single strategy always wins. Imagine using {concept} to tune a game of your own.',
        card: 'Balance a game like {interest}: {concept}',
      },
      {
        say: 'Winning at {interest} often means spotting a pattern before anyone else does. Math is the study of patterns, and {concept} can give you one more pattern to spot.',
        card: 'Spot the pattern in {interest}: {concept}',
      },
    ],
    cooking: [
      {
        say: 'Every recipe in {interest} is math in disguise: doubling a batch, cutting it in half, converting cups to grams and timing the oven. Think about {concept} the next time you scale a recipe.',
        card: '{interest} by the numbers: {concept}',
      },
      {
        say: 'Cutting a pizza, sharing a cake or measuring spices means working with fractions, ratios and shapes. If you love {interest}, ask how {concept} could help you in the kitchen.',
        card: 'Kitchen math for {interest}: {concept}',
      },
      {
        say: 'Running a bakery or a food stall means tracking costs, prices and profits. Anyone who loves {interest} can imagine using {concept} to plan a menu that makes money.',
        card: '{interest}: a business plan with {concept}',
      },
    ],
    art: [
      {
        say: 'Artists in {interest} use math without always noticing: proportions, symmetry, perspective and patterns that repeat. Look for {concept} in the shapes of a piece you admire.',
        card: '{interest} by design: {concept}',
      },
      {
        say: 'Digital art is built on numbers: every colour, position and curve on a screen is stored as math. If you love {interest}, imagine using {concept} to create something precisely.',
        card: 'Numbers behind {interest}: {concept}',
      },
      {
        say: 'Scaling a sketch up to a poster means keeping every ratio the same. Anyone into {interest} can think about {concept} the next time they resize, repeat or mirror a design.',
        card: 'Resize and repeat in {interest}: {concept}',
      },
    ],
    animals: [
      {
        say: 'Scientists count, measure and track animals to see how populations grow and shrink, and anyone who loves {interest} can do the same. Imagine using {concept} to describe one of those populations.',
        card: 'Counting animals: {interest} and {concept}',
      },
      {
        say: 'Animals are full of patterns and proportions: stripes, spirals in shells, the length of legs compared with body size. If you love {interest}, look for {concept} in the shapes and numbers of animal life.',
        card: '{interest}: patterns in animal life, {concept}',
      },
      {
        say: 'Feeding, walking and caring for a pet all involve amounts, schedules and costs. Anyone who loves {interest} can ask how {concept} could help plan an animal’s care.',
        card: '{interest}: a care plan with {concept}',
      },
    ],
    space: [
      {
        say: 'Every mission in the world of {interest} depends on math: distances, speeds, angles and times worked out long before launch. Imagine using {concept} to help plan a trip to another world.',
        card: '{interest}: mission math with {concept}',
      },
      {
        say: 'Astronomers deal with numbers so large that they need special tools to write and compare them. If you love {interest}, think about how {concept} could help you handle numbers on that scale.',
        card: 'Huge numbers in {interest}: {concept}',
      },
      {
        say: 'Planets, moons and comets follow paths you can describe with equations. Anyone into {interest} can look for {concept} in the regular patterns of the sky.',
        card: 'Patterns of the sky: {interest} and {concept}',
      },
    ],
    vehicles: [
      {
        say: 'Every trip in the world of {interest} is full of math: speed, distance, time, fuel and cost. Imagine using {concept} to plan a trip or compare two routes.',
        card: '{interest}: plan a trip with {concept}',
      },
      {
        say: 'Engineers use numbers to make machines in the world of {interest} faster, safer and more efficient, testing one change at a time. Think about {concept} the next time you compare two models.',
        card: 'Faster, safer {interest}: {concept}',
      },
      {
        say: 'Timetables, traffic and fuel gauges all turn motion into numbers. Anyone who loves {interest} can ask how {concept} could describe the numbers on a dashboard or a schedule.',
        card: 'Dashboard math for {interest}: {concept}',
      },
    ],
    building: [
      {
        say: 'In {interest}, every plan starts with measurements: lengths, angles, areas and how much material you need. Look for {concept} in the next thing you design or build.',
        card: 'Plan it in {interest}: {concept}',
      },
      {
        say: 'Architects and engineers check their designs with math before anything is built, so that nothing tips, sags or runs out of material. If you love {interest}, imagine using {concept} as one of those checks.',
        card: '{interest}: a design check with {concept}',
      },
      {
        say: 'Count the pieces, measure the angles, repeat a pattern: building in {interest} is full of numbers. Think about {concept} the next time you put something together.',
        card: 'Count, measure, build: {interest} and {concept}',
      },
    ],
    nature: [
      {
        say: 'Nature is full of math: spirals in pinecones, branching in trees, patterns in the weather. Anyone who loves {interest} can look for {concept} in the shapes and numbers outdoors.',
        card: '{interest}: math outdoors, {concept}',
      },
      {
        say: 'Rainfall, temperature and the height of a growing plant all change in patterns you can measure. If you love {interest}, keep a record for a week and ask how {concept} could describe it.',
        card: 'Measure it outdoors: {interest} and {concept}',
      },
      {
        say: 'Plan a hike or a garden and you are doing math: distances, slopes, areas and times. Anyone into {interest} can think about {concept} the next time they plan a day outside.',
        card: '{interest}: plan a day with {concept}',
      },
    ],
    general: [
      {
        say: 'Math is hiding in your day: prices at the shop, minutes until the bus, the score of a game, the chance of rain. Pick one number you noticed today and ask how {concept} could describe it.',
        card: 'Everyday numbers: {concept}',
      },
      {
        say: 'Think about {concept} the next time you split a bill, plan your time or compare two prices. Everyday decisions are full of the patterns math describes.',
        card: 'Split, plan, compare: {concept}',
      },
      {
        say: 'Your phone does math all day: it counts steps, estimates arrival times and predicts the next word you type. Look for {concept} in something a device does for you.',
        card: 'Math in your pocket: {concept}',
      },
    ],
  },
  history: {
    sports: [
      {
        say: 'The rules of {interest} were not always the same: people argued over them, changed them and fought over who was allowed to play. History works the same way, and {concept} came out of arguments and choices like those.',
        card: 'The history of {interest} and {concept}',
      },
      {
        say: 'Famous moments in {interest} reflect their time, from who was allowed on the team to how fans travelled to games. Ask how {concept} could have shaped the world those athletes lived in.',
        card: '{interest} moments in their time: {concept}',
      },
      {
        say: 'Think about {concept} the next time you hear the story of a legend in {interest}. Every athlete’s story sits inside a bigger history of places, laws and people.',
        card: 'Legends of {interest}, in history: {concept}',
      },
    ],
    music: [
      {
        say: 'Every era has its sound, and the songs people sang tell us what they hoped for and feared. Anyone who loves {interest} can ask what people were singing about in the era of {concept}.',
        card: 'The soundtrack of {concept}: {interest}',
      },
      {
        say: 'Every kind of music, {interest} included, grew from older traditions, new technology and people moving from place to place. Changes of the same kind shaped {concept}.',
        card: 'Roots of {interest}, roots of {concept}',
      },
      {
        say: 'Protest songs, anthems and ballads have carried history from one generation to the next. If you love {interest}, imagine a song about {concept} and what it would say about the people who lived through those times.',
        card: 'A song about {concept}, {interest} style',
      },
    ],
    games: [
      {
        say: 'In {interest}, as in any game of strategy, every move depends on resources, alliances and timing. Real leaders faced choices like those, and you can read {concept} as a series of moves made under pressure.',
        card: 'Moves under pressure: {interest} and {concept}',
      },
      {
        say: 'Imagine {concept} as a level in {interest}: what was the goal, who were the players, and what obstacles stood in the way? Asking those questions is how historians make sense of the past.',
        card: '{concept} as a level in {interest}',
      },
      {
        say: 'Players of {interest} know that one decision early on can change the whole game. History is full of turning points like that, and looking closely at {concept} is a good way to find one.',
        card: 'Turning points: {interest} and {concept}',
      },
    ],
    cooking: [
      {
        say: 'What people cooked and ate tells historians a lot: who had money, what was traded across oceans and which traditions travelled with families. Anyone who loves {interest} can ask what was on the table in the era of {concept}.',
        card: 'On the table in the era of {concept}',
      },
      {
        say: 'Many ingredients in {interest} travelled a long way to reach us, carried by trade, migration and sometimes war. Follow one ingredient back in time and you may cross paths with {concept}.',
        card: 'Follow the ingredients: {interest} and {concept}',
      },
      {
        say: 'Recipes get handed down, changed and shared, just as ideas and laws do. If you love {interest}, think about who passed on the ideas behind {concept} and who changed them.',
        card: 'Recipes as history: {interest} and {concept}',
      },
    ],
    art: [
      {
        say: 'Artists have always recorded their times in posters, paintings, comics and photographs. Anyone who loves {interest} can imagine creating a scene about {concept} and choosing whose story to show.',
        card: 'Draw {concept}, {interest} style',
      },
      {
        say: 'A work of art is a primary source: it shows what people cared about, feared or hoped for. If you love {interest}, look at art from the era of {concept} and ask what it says.',
        card: 'Art as evidence: {interest} and {concept}',
      },
      {
        say: 'Political cartoons, propaganda posters and protest art have all tried to change people’s minds. Think about how an artist into {interest} today might tell the story of {concept}.',
        card: 'Tell {concept} through {interest}',
      },
    ],
    animals: [
      {
        say: 'Horses, dogs, oxen and even pigeons have played real parts in history, carrying people, goods and messages. Anyone who loves {interest} can ask what animals were doing in the era of {concept}.',
        card: 'Animals in history: {interest} and {concept}',
      },
      {
        say: 'The way people treated animals changed over time, through new laws, new farms and new cities. If you love {interest}, look for how the era of {concept} changed life for animals and the people who cared for them.',
        card: '{interest} through time: {concept}',
      },
      {
        say: 'Explorers, farmers and soldiers depended on animals every day, and that bond shaped whole economies. Anyone into {interest} can think about the animals that worked quietly behind {concept}.',
        card: '{interest} and the animals behind {concept}',
      },
    ],
    space: [
      {
        say: 'The space race was history in the making, shaped by rivalry, money and big dreams. Anyone who loves {interest} can compare it with {concept} and ask what drives people to take giant risks.',
        card: '{interest} and history: {concept}',
      },
      {
        say: 'Explorers crossing oceans and astronauts leaving Earth faced the same questions: who pays, who goes, and who benefits. If you love {interest}, ask those questions about {concept}.',
        card: '{interest}: explorers and {concept}',
      },
      {
        say: 'People have looked at the sky to navigate, keep calendars and tell stories for thousands of years. Anyone who loves {interest} can think about {concept} the next time they look up, and ask how the people of that time saw the sky.',
        card: 'Look up, look back: {interest} and {concept}',
      },
    ],
    vehicles: [
      {
        say: 'Railways, cars and airplanes changed where people could live, work and travel, and each one reshaped history. Anyone who loves {interest} can ask how transport in the era of {concept} helped people or held them back.',
        card: '{interest} through history: {concept}',
      },
      {
        say: 'Every new way to travel raised questions about who could use it, who built it and who paid the price. If you love {interest}, ask the same questions about {concept}.',
        card: 'Who rode, who built: {interest} and {concept}',
      },
      {
        say: 'Anyone who loves {interest} can think about {concept} the next time they see an old vehicle in a museum or a film. Each one is a clue to how people moved goods, armies and ideas in their time.',
        card: 'Museum clues for {interest} fans: {concept}',
      },
    ],
    building: [
      {
        say: 'Buildings are history you can walk into: who built them, who paid for them and who was allowed inside all tell a story. Anyone into {interest} can ask what buildings from the era of {concept} reveal.',
        card: '{interest} as history: {concept}',
      },
      {
        say: 'Bridges, canals, railroads and dams changed nations, and building them often came at a great human cost. If you love {interest}, ask what was built in the era of {concept} and who built it.',
        card: 'Who built it? {interest} and {concept}',
      },
      {
        say: 'A nation’s laws and institutions are built a bit like a structure in {interest}: a foundation, supporting pieces and repairs over time. Think about {concept} as one piece of that structure.',
        card: 'Building a nation: {interest} and {concept}',
      },
    ],
    nature: [
      {
        say: 'Weather, rivers and soil have shaped history: droughts drove migrations, rivers drew cities, and storms changed the outcome of battles. Anyone who loves {interest} can ask what part the land played in {concept}.',
        card: '{interest} and the land behind {concept}',
      },
      {
        say: 'Parks, forests and farmland were all fought over, protected or changed by people and their laws. If you love {interest}, think about the places outdoors that the era of {concept} shaped.',
        card: 'Places with a past: {interest} and {concept}',
      },
      {
        say: 'Think about {concept} the next time you walk a trail or pass an old farm. Anyone into {interest} can read the landscape for traces of choices people made long ago.',
        card: '{interest}: traces of {concept}',
      },
    ],
    general: [
      {
        say: 'The world you live in was shaped by choices people made long ago: the roads you walk, the rules at school, even the money in your pocket. Ask how {concept} could have shaped something you use or see every day.',
        card: 'History in your day: {concept}',
      },
      {
        say: 'Think about {concept} the next time you hear people argue about what is fair. Many of today’s debates started long ago, and history shows how people argued them before.',
        card: 'Old debates, today’s questions: {concept}',
      },
      {
        say: 'Ask an older relative or neighbour what has changed in their lifetime, and you are doing history. Their stories connect to bigger events, and {concept} may be one of them.',
        card: 'Family stories and {concept}',
      },
    ],
  },
  literature: {
    sports: [
      {
        say: 'Every great contest in {interest} has a story: a rivalry, a comeback, a hero and a moment when everything could go either way. Look for {concept} the next time a commentator turns a game into a story.',
        card: '{interest} as a story: {concept}',
      },
      {
        say: 'Sports writers covering {interest} build suspense, choose a point of view and decide which moment matters most. Read a match report and look for {concept} in how the writer tells it.',
        card: '{interest} reports: look for {concept}',
      },
      {
        say: 'Think about {concept} the next time you tell a friend about a big moment in {interest}. The way you build up to the ending is a storytelling choice.',
        card: 'Tell it like a story: {interest} and {concept}',
      },
    ],
    music: [
      {
        say: 'Song lyrics are literature you can sing: they use images, repetition, rhyme and a speaker with a point of view. Anyone who loves {interest} can look for {concept} in the words of a favourite song.',
        card: '{interest} fans, read the lyrics: {concept}',
      },
      {
        say: 'Many songs that fans of {interest} love tell a story in a few verses, with a conflict, a turning point and an ending. Listen for {concept} the next time a song makes you feel something.',
        card: 'Songs as stories: {interest} and {concept}',
      },
      {
        say: 'A music video, an album cover and a song title all set up expectations, just like the first page of a book. If you love {interest}, look for {concept} in how an artist sets up and pays off those expectations.',
        card: 'Set-up and payoff in {interest}: {concept}',
      },
    ],
    games: [
      {
        say: 'Every round of {interest} can be told as a story: a goal, obstacles, rising tension and an ending. Look for {concept} in the way players retell their best games.',
        card: 'Every round a story: {interest} and {concept}',
      },
      {
        say: 'Game writers build worlds, give characters motives and decide what the player learns and when. If you love {interest}, look for {concept} in how a game reveals its story.',
        card: 'Game storytelling in {interest}: {concept}',
      },
      {
        say: 'Players who love {interest} tell each other stories about their best moves, biggest mistakes and closest wins. Think about {concept} the next time you tell one of those stories.',
        card: 'Your story from {interest}: {concept}',
      },
    ],
    cooking: [
      {
        say: 'Food writing turns a meal into a story, with memories, settings and characters around the table. Anyone who loves {interest} can look for {concept} in how a writer describes a meal.',
        card: '{interest} on the page: {concept}',
      },
      {
        say: 'Family recipes often come with stories about who cooked them, where and why. If you love {interest}, think about {concept} the next time someone tells you the story behind a dish.',
        card: 'Stories behind {interest}: {concept}',
      },
      {
        say: 'Writers use food to show character: what someone cooks, shares or refuses says a lot about them. Look for {concept} the next time a meal appears in a story, a film or a show about {interest}.',
        card: 'Food in stories: {interest} and {concept}',
      },
    ],
    art: [
      {
        say: 'Artists in {interest} tell stories with images: framing, colour and character design all guide how we feel. Writers do the same with words, and {concept} can be one of their tools.',
        card: '{interest} and words: {concept}',
      },
      {
        say: 'Comics, anime and picture books mix words and images to tell a story. If you love {interest}, look for {concept} in how a story is told through both.',
        card: '{interest} storytelling: {concept}',
      },
      {
        say: 'Think about {concept} the next time you plan your own piece of art, from the first sketch to the final detail. Every creator, in {interest} or on the page, chooses what to show and what to hide.',
        card: 'Show and hide: {interest} and {concept}',
      },
    ],
    animals: [
      {
        say: 'Stories have used animals for thousands of years, from fables to novels, to say something about people. Anyone who loves {interest} can look for {concept} in an animal story they remember.',
        card: '{interest} in stories: {concept}',
      },
      {
        say: 'Writers often give animals human traits, or show people through the way they treat animals. If you love {interest}, look for {concept} the next time an animal appears in a story.',
        card: 'Animals in fiction, {interest} and {concept}',
      },
      {
        say: 'Think about {concept} the next time you describe {interest} to a friend. The details you choose and the feelings you stress are the same tools writers use.',
        card: 'Describe {interest} like a writer: {concept}',
      },
    ],
    space: [
      {
        say: 'Science fiction imagines new worlds to say something about our own, and fans of {interest} have plenty of examples to choose from. Look for {concept} in a space story you love.',
        card: '{interest} stories: look for {concept}',
      },
      {
        say: 'Real astronauts have written memoirs full of awe, fear and humour. If you love {interest}, read a few pages of one and look for {concept} in how the writer describes leaving Earth.',
        card: '{interest} in words: {concept}',
      },
      {
        say: 'The night sky has inspired myths, poems and novels for as long as people have told stories. Think about {concept} the next time you read or write about {interest}.',
        card: 'Write about {interest} with {concept}',
      },
    ],
    vehicles: [
      {
        say: 'Road trips, train journeys and flights are classic story settings, because a journey gives a character a goal and a chance to change. Anyone who loves {interest} can look for {concept} in a story about a journey.',
        card: 'Journeys and {interest}: {concept}',
      },
      {
        say: 'A chase, a breakdown or a race against time can drive a whole plot. If you love {interest}, think about {concept} the next time a vehicle moves a story forward.',
        card: 'Plots in motion: {interest} and {concept}',
      },
      {
        say: 'Writers use vehicles as symbols of freedom, escape or danger. Look for {concept} the next time you read or watch a story where the world of {interest} matters.',
        card: '{interest} as a symbol: {concept}',
      },
    ],
    building: [
      {
        say: 'A story is built like a structure in {interest}: a strong foundation, supporting parts and a shape that holds together. Think about {concept} as one of the pieces that holds a story up.',
        card: 'Build a story like {interest}: {concept}',
      },
      {
        say: 'Writers plan, draft, test and rebuild, just as builders and engineers do in {interest}. If you write, try using {concept} as one part of your blueprint.',
        card: 'Blueprint for a story: {interest} and {concept}',
      },
      {
        say: 'Houses, towers and cities in stories often stand for something bigger: a family, a dream, a kind of power. Anyone into {interest} can look for {concept} in how a writer uses a building.',
        card: 'Buildings in stories, {interest} and {concept}',
      },
    ],
    nature: [
      {
        say: 'Nature writing turns a walk, a storm or a garden into something that matters on the page. Anyone who loves {interest} can look for {concept} in a poem or story about the outdoors.',
        card: '{interest} in poems: {concept}',
      },
      {
        say: 'Writers use weather and seasons to set a mood: storms for conflict, spring for new beginnings. If you love {interest}, look for {concept} the next time the weather changes in a story.',
        card: 'Weather as mood: {interest} and {concept}',
      },
      {
        say: 'Anyone into {interest} can think about {concept} the next time they describe a day outdoors. Choosing what to describe and what to skip is already a writer’s decision.',
        card: 'Describe the outdoors: {interest} and {concept}',
      },
    ],
    general: [
      {
        say: 'Stories are everywhere in your day: the excuse a friend gives, an ad, a video you scroll past. Look for {concept} in one of them and notice how it shapes what you feel.',
        card: 'Everyday stories: {concept}',
      },
      {
        say: 'Think about {concept} the next time you tell someone what happened at school. Every story you tell involves choices about what to include and how to say it.',
        card: 'Your own stories: {concept}',
      },
      {
        say: 'Films, shows, songs and even text messages use the same tools as books. Look for {concept} in something you read or watch this week.',
        card: 'Look for {concept} this week',
      },
    ],
  },
};

// Strips accents so "fútbol" and "Pokémon" match their keywords.
const fold = (s: string): string => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const words = (s: string): string[] => fold(s).replace(/['’]/g, '').split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** Every keyword, spaced and run together ("k pop" and "kpop"), with its family. */
const KEYWORD_FAMILY: ReadonlyMap<string, InterestFamily> = (() => {
  const map = new Map<string, InterestFamily>();
  for (const [family, keywords] of Object.entries(FAMILY_KEYWORDS) as Array<[InterestFamily, readonly string[]]>) {
    for (const keyword of keywords) {
      const spaced = words(keyword).join(' ');
      for (const key of [spaced, spaced.replace(/ /g, '')]) if (!map.has(key)) map.set(key, family);
    }
  }
  return map;
})();
const LONGEST_KEYWORD = Math.max(...[...KEYWORD_FAMILY.keys()].map((k) => k.split(' ').length));

/** A word and the singulars it may be the plural of ("cookies": cookie, cooky); English marks the plural on the last word. */
function singulars(word: string): string[] {
  const out = [word];
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) out.push(word.slice(0, -1));
  if (word.length > 4 && word.endsWith('es')) out.push(word.slice(0, -2));
  if (word.length > 4 && word.endsWith('ies')) out.push(word.slice(0, -3) + 'y');
  return out;
}

function familyOfWords(window: string[]): InterestFamily | undefined {
  const head = window.slice(0, -1);
  for (const last of singulars(window[window.length - 1])) {
    const spaced = [...head, last].join(' ');
    const family = KEYWORD_FAMILY.get(spaced) ?? KEYWORD_FAMILY.get(spaced.replace(/ /g, ''));
    if (family) return family;
  }
  return undefined;
}

/**
 * The family of a student's interest, from the keyword table: the longest keyword found wins ("video
 * games" over "games"), then the earliest ("soccer and guitar" is sports). Case, accents and plurals
 * do not matter; an interest with no known keyword is 'general'.
 */
export function interestFamily(interest: string): InterestFamily {
  const tokens = words(interest);
  for (let size = Math.min(LONGEST_KEYWORD, tokens.length); size >= 1; size--) {
    for (let i = 0; i + size <= tokens.length; i++) {
      const family = familyOfWords(tokens.slice(i, i + size));
      if (family) return family;
    }
  }
  return 'general';
}

/** What an analogy is about: the subject, the student's interest (sanitised) and its family, the concept, and a seed. */
export interface AnalogyRequest {
  subject: Subject;
  family: InterestFamily;
  /** The student's interest, already through sanitizeInterest; ignored by the general family. */
  interest: string;
  /** A key term or the topic title, as a lower-case noun phrase ("newton’s third law", "friction"). */
  concept: string;
  /** Picks among the templates; the same seed gives the same analogy. */
  seed: number;
}

export interface Analogy {
  say: string;
  card: string;
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function fill(template: AnalogyTemplate, interest: string, concept: string): Analogy {
  // One pass, so a slot's value is never searched for slots itself.
  const put = (text: string): string => capitalise(text.replace(/\{(interest|concept)\}/g, (_, slot: string) => (slot === 'interest' ? interest : concept)));
  return { say: put(template.say), card: put(template.card) };
}

const fitsLimits = (a: Analogy): boolean => a.say.length <= ANALOGY_SAY_MAX && a.card.length <= ANALOGY_CARD_MAX;

/**
 * `count` different analogies (fewer if the table has fewer), in template order from `seed`. A
 * template whose text would run over ANALOGY_SAY_MAX or ANALOGY_CARD_MAX with this concept goes to
 * the back of the line, with "this idea" for the concept (every template fits that).
 */
export function analogiesFor(request: AnalogyRequest, count: number): Analogy[] {
  const interest = request.interest.replace(/\s+/g, ' ').trim();
  const concept = request.concept.replace(/\s+/g, ' ').trim() || SHORT_CONCEPT;
  // Without an interest phrase there is nothing to weave in: everyday life instead.
  const family = interest && INTEREST_FAMILIES.includes(request.family) ? request.family : 'general';
  const templates = ANALOGY_TEMPLATES[request.subject][family];
  const n = templates.length;
  const start = Number.isFinite(request.seed) ? ((Math.floor(request.seed) % n) + n) % n : 0;
  const ordered = templates.map((_, i) => templates[(start + i) % n]);
  const wanted = Math.max(0, Math.min(Math.floor(count), n));
  const filled = ordered.map((t) => fill(t, interest, concept));
  const fallback = ordered.filter((_, i) => !fitsLimits(filled[i])).map((t) => fill(t, interest, SHORT_CONCEPT));
  return [...filled.filter(fitsLimits), ...fallback].slice(0, wanted);
}

/** One analogy tying `concept` to the student's interest (see analogiesFor). */
export function analogyFor(request: AnalogyRequest): Analogy {
  return analogiesFor(request, 1)[0];
}
