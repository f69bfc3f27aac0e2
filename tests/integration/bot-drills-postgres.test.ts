import { drills } from "./bot-drills";

drills("postgres");
