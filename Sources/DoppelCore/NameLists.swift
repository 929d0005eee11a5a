/// Small built-in word lists used to recognise personal data and to make fake values.
///
/// The lists hold common words, not records of any person: ``firstNames`` are popular given
/// names from the US Social Security Administration's baby-name statistics ("Popular Baby Names",
/// ssa.gov, 1950s–2010s top names), and ``lastNames`` are frequent surnames from the US Census
/// Bureau's 2010 surname list ("Frequently Occurring Surnames from the 2010 Census"). Both are
/// works of the US government and in the public domain. Order is alphabetical and fixed, so a
/// seeded draw from a list gives the same name on every machine.
public enum NameLists {
  /// 269 common given names, alphabetical.
  public static let firstNames: [String] = [
    "Aaron", "Abigail", "Adam", "Addison", "Adrian", "Aiden", "Alan", "Albert", "Alexander",
    "Alexis", "Alice", "Allison", "Alyssa", "Amanda", "Amber", "Amelia", "Amy", "Andrea",
    "Andrew", "Angela", "Ann", "Anna", "Anthony", "Antonio", "Aria", "Arthur", "Ashley", "Audrey",
    "Aurora", "Austin", "Ava", "Barbara", "Benjamin", "Betty", "Beverly", "Billy", "Blake",
    "Bobby", "Brandon", "Brenda", "Brian", "Brittany", "Brooklyn", "Bruce", "Bryan", "Caleb",
    "Camila", "Carl", "Carlos", "Carol", "Caroline", "Carolyn", "Carter", "Catherine", "Charles",
    "Charlotte", "Chase", "Cheryl", "Chloe", "Christian", "Christina", "Christine", "Christopher",
    "Claire", "Cole", "Connor", "Craig", "Cynthia", "Daniel", "Danielle", "David", "Deborah",
    "Debra", "Denise", "Dennis", "Diana", "Diane", "Diego", "Donald", "Donna", "Doris", "Dorothy",
    "Douglas", "Dylan", "Edward", "Elena", "Elijah", "Elizabeth", "Ella", "Ellie", "Emily",
    "Emma", "Eric", "Ethan", "Eugene", "Eva", "Evan", "Evelyn", "Frances", "Frank", "Gabriel",
    "Gabriella", "Gary", "George", "Gerald", "Gloria", "Grace", "Grayson", "Gregory", "Hannah",
    "Harold", "Harper", "Hazel", "Heather", "Helen", "Henry", "Hunter", "Ian", "Isaac",
    "Isabella", "Jack", "Jacob", "Jacqueline", "James", "Janet", "Janice", "Jason", "Jayden",
    "Jean", "Jeffrey", "Jennifer", "Jeremy", "Jerry", "Jesse", "Jessica", "Joan", "Joe", "John",
    "Jonathan", "Jordan", "Jose", "Joseph", "Joshua", "Joyce", "Juan", "Judith", "Judy", "Julia",
    "Julian", "Julie", "Justin", "Karen", "Katherine", "Kathleen", "Kathryn", "Kayla", "Keith",
    "Kelly", "Kenneth", "Kevin", "Kimberly", "Kyle", "Larry", "Laura", "Lauren", "Lawrence",
    "Layla", "Leah", "Leo", "Levi", "Liam", "Lily", "Linda", "Lisa", "Logan", "Lori", "Louis",
    "Lucas", "Lucy", "Luis", "Luke", "Madison", "Margaret", "Maria", "Marie", "Marilyn", "Mark",
    "Martha", "Mary", "Mason", "Mateo", "Matthew", "Maya", "Megan", "Melissa", "Mia", "Michael",
    "Michelle", "Miguel", "Mila", "Nancy", "Naomi", "Natalie", "Nathan", "Nicholas", "Nicole",
    "Noah", "Nora", "Oliver", "Olivia", "Owen", "Pamela", "Patricia", "Patrick", "Paul", "Peter",
    "Philip", "Rachel", "Ralph", "Randy", "Raymond", "Rebecca", "Richard", "Riley", "Robert",
    "Roger", "Ronald", "Rose", "Roy", "Ruby", "Russell", "Ruth", "Ryan", "Samantha", "Samuel",
    "Sandra", "Sara", "Sarah", "Savannah", "Scarlett", "Scott", "Sean", "Sebastian", "Sharon",
    "Shirley", "Sofia", "Sophia", "Stella", "Stephanie", "Stephen", "Steven", "Susan", "Teresa",
    "Terry", "Theresa", "Thomas", "Timothy", "Tyler", "Victoria", "Vincent", "Violet",
    "Virginia", "Walter", "Wayne", "William", "Willie", "Wyatt", "Zachary", "Zoe",
  ]

  /// 233 frequent surnames, alphabetical.
  public static let lastNames: [String] = [
    "Adams", "Aguilar", "Alexander", "Allen", "Alvarado", "Alvarez", "Anderson", "Andrews",
    "Armstrong", "Arnold", "Bailey", "Baker", "Barnes", "Bell", "Bennett", "Berry", "Black",
    "Boyd", "Bradley", "Brooks", "Brown", "Bryant", "Burns", "Butler", "Campbell", "Carpenter",
    "Carroll", "Carter", "Castillo", "Castro", "Chavez", "Chen", "Clark", "Cole", "Coleman",
    "Collins", "Contreras", "Cook", "Cooper", "Cox", "Crawford", "Cruz", "Cunningham", "Daniels",
    "Davis", "Delgado", "Diaz", "Dixon", "Duncan", "Dunn", "Edwards", "Elliott", "Ellis", "Evans",
    "Ferguson", "Fernandez", "Fisher", "Flores", "Ford", "Foster", "Fox", "Freeman", "Garcia",
    "Gardner", "Garza", "Gibson", "Gomez", "Gonzales", "Gonzalez", "Gordon", "Graham", "Grant",
    "Gray", "Green", "Griffin", "Gutierrez", "Guzman", "Hall", "Hamilton", "Hansen", "Harris",
    "Harrison", "Hart", "Hawkins", "Hayes", "Henderson", "Henry", "Hernandez", "Herrera", "Hicks",
    "Hill", "Hoffman", "Holmes", "Howard", "Hudson", "Hughes", "Hunt", "Hunter", "Jackson",
    "James", "Jenkins", "Jimenez", "Johnson", "Johnston", "Jones", "Jordan", "Kelley", "Kelly",
    "Kennedy", "Kim", "King", "Knight", "Lane", "Lawrence", "Lee", "Lewis", "Long", "Lopez",
    "Marshall", "Martin", "Martinez", "Mason", "Matthews", "McDonald", "Medina", "Mendez",
    "Mendoza", "Meyer", "Miller", "Mills", "Mitchell", "Moore", "Morales", "Moreno", "Morgan",
    "Morris", "Munoz", "Murphy", "Murray", "Myers", "Nelson", "Nguyen", "Nichols", "Olson",
    "Ortiz", "Owens", "Palmer", "Parker", "Patel", "Patterson", "Payne", "Pena", "Perez",
    "Perkins", "Perry", "Peters", "Peterson", "Phillips", "Pierce", "Porter", "Powell", "Price",
    "Ramirez", "Ramos", "Ray", "Reed", "Reyes", "Reynolds", "Rice", "Richards", "Richardson",
    "Riley", "Rivera", "Roberts", "Robertson", "Robinson", "Rodriguez", "Rogers", "Romero",
    "Rose", "Ross", "Ruiz", "Russell", "Ryan", "Salazar", "Sanchez", "Sanders", "Sandoval",
    "Santos", "Schmidt", "Scott", "Shaw", "Silva", "Simmons", "Simpson", "Smith", "Snyder",
    "Soto", "Spencer", "Stephens", "Stevens", "Stewart", "Stone", "Sullivan", "Taylor", "Thomas",
    "Thompson", "Torres", "Tran", "Tucker", "Turner", "Vargas", "Vasquez", "Vazquez", "Wagner",
    "Walker", "Wallace", "Ward", "Warren", "Washington", "Watson", "Weaver", "Webb", "Wells",
    "West", "White", "Williams", "Willis", "Wilson", "Wood", "Woods", "Wright", "Young",
  ]

  /// Street-type words and their usual abbreviations (`Street`, `St`, `Road`, `Rd`, …), as used
  /// in English-language addresses.
  public static let streetSuffixes: [String] = [
    "Alley", "Ave", "Avenue", "Blvd", "Boulevard", "Cir", "Circle", "Close", "Court", "Cres",
    "Crescent", "Ct", "Dr", "Drive", "Gardens", "Grove", "Highway", "Hwy", "Lane", "Ln", "Mews",
    "Parkway", "Pkwy", "Pl", "Place", "Rd", "Road", "Row", "Sq", "Square", "St", "Street", "Ter",
    "Terrace", "Trail", "Trl", "Walk", "Way",
  ]
}
