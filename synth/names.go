package synth

// Synthetic names. No real person is meant; the lists are common names so
// that pages look like the real thing.
var (
	femaleNames = []string{"Amelia", "Olivia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Sophia", "Grace", "Freya",
		"Chloe", "Ella", "Evie", "Poppy", "Ruby", "Hannah", "Zara", "Aisha", "Fatima", "Maryam",
		"Priya", "Amara", "Nia", "Seren", "Cerys", "Megan", "Bethan", "Chantelle", "Jade", "Leah"}
	maleNames = []string{"Oliver", "George", "Noah", "Arthur", "Leo", "Harry", "Oscar", "Jack", "Charlie", "Jacob",
		"Thomas", "James", "Daniel", "Liam", "Mohammed", "Ali", "Ibrahim", "Kwame", "Tyrone", "Rhys",
		"Dylan", "Gareth", "Connor", "Callum", "Ryan", "Kieran", "Marcus", "Jordan", "Nathan", "Lewis"}
	surnames = []string{"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Roberts",
		"Johnson", "Lewis", "Walker", "Robinson", "Wood", "Thompson", "White", "Watson", "Jackson", "Wright",
		"Green", "Harris", "Cooper", "King", "Lee", "Khan", "Patel", "Begum", "Hussain", "Ahmed",
		"Okafor", "Mensah", "Campbell", "Clarke", "Hughes", "Edwards", "Morgan", "Griffiths", "Kaur", "Singh"}
)
