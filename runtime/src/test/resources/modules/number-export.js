export default 20;
